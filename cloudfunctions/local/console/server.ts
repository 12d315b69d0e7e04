// The console's routes on the local gateway (local mode only; the gateway's
// loopback Host check runs before them): one page per tab, its style sheet,
// and POST /console/actions/<name> for the buttons, which redirects back to
// the page with a flash message (303, so a reload does not repeat it).
//
// The pages carry no script, and a strict Content-Security-Policy says so.
// A web page elsewhere could still make the browser post a form here (the
// Host would be 127.0.0.1), so every action must carry this process's form
// token and, when the browser names the origin, come from the console itself.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { runAction } from './actions';
import { type ConsoleEnv, type PageCtx, pageUrl, TABS, type Tab, tabPath } from './context';
import { langOf, messages } from './i18n';
import { CSS, type Flash, refusalPage, renderPage } from './pages';

export const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Not no-referrer: with it a browser sends "Origin: null" on the console's own form posts.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Flash messages waiting for the page a redirect leads to; each is shown once. */
class Flashes {
  private readonly waiting = new Map<string, Flash>();

  put(flash: Flash): string {
    const id = crypto.randomBytes(9).toString('base64url');
    this.waiting.set(id, flash);
    for (const old of this.waiting.keys()) {
      if (this.waiting.size <= 100) break;
      this.waiting.delete(old);
    }
    return id;
  }

  take(id: unknown): Flash | null {
    if (typeof id !== 'string') return null;
    const flash = this.waiting.get(id) ?? null;
    this.waiting.delete(id);
    return flash;
  }
}

function sameToken(given: string | null, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** Posted by the console's own page: same origin when the browser says so. */
function fromConsole(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) return origin === `http://${request.headers.host}`;
  const site = request.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

export function registerConsole(app: FastifyInstance, env: ConsoleEnv): void {
  if (env.deps.config.mode !== 'local') throw new Error('the console runs only in local mode (PMS_MODE=local)');
  const csrf = crypto.randomBytes(24).toString('base64url');
  const flashes = new Flashes();
  const programs = () => Object.keys(env.deps.config.miniPrograms);
  const appidOf = (value: unknown): string =>
    typeof value === 'string' && programs().includes(value) ? value : programs()[0];

  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, done) => done(null, new URLSearchParams(body as string)),
    );
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.headers(SECURITY_HEADERS);
      return payload;
    });

    scope.get('/console/console.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(CSS));
    scope.get('/console/', async (_request, reply) => reply.redirect('/console', 308));

    for (const tab of TABS) {
      scope.get<{ Querystring: Record<string, string | undefined> }>(tabPath(tab), async (request, reply) => {
        const lang = langOf(request.query.lang);
        const ctx: PageCtx = {
          env,
          lang,
          m: messages(lang),
          tab,
          appid: appidOf(request.query.appid),
          csrf,
          now: env.clock.now(),
        };
        return reply.type('text/html; charset=utf-8').send(await renderPage(ctx, flashes.take(request.query.flash)));
      });
    }

    scope.post<{ Params: { action: string } }>('/console/actions/:action', async (request, reply) => {
      const form = request.body instanceof URLSearchParams ? request.body : null;
      const lang = langOf(form?.get('lang'));
      const m = messages(lang);
      const refuse = (status: number) =>
        reply.code(status).type('text/html; charset=utf-8').send(refusalPage(m, m.flashBadRequest));
      if (!form || !fromConsole(request) || !sameToken(form.get('csrf'), csrf)) return refuse(403);
      const flash = await runAction(env, request.params.action, form, m, lang);
      if (!flash) return refuse(404);
      const tabField = form.get('tab');
      const tab: Tab = TABS.find((t) => t === tabField) ?? 'overview';
      const at = form.get('at') ?? '';
      const anchor = /^[a-z-]{1,40}$/.test(at) ? `#${at}` : '';
      return reply.redirect(
        `${pageUrl(tab, appidOf(form.get('appid')), lang, { flash: flashes.put(flash) })}${anchor}`,
        303,
      );
    });
  });
}
