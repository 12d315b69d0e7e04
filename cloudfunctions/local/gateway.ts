// The local HTTP gateway: the same function handlers CloudBase runs, behind
// POST /functions/<name>. Local identity comes from X-Wx-* headers, which is
// only acceptable because this server exists only in local mode, listens on
// loopback, and answers only requests addressed to 127.0.0.1 or localhost
// (loopback-host.ts: a web page cannot reach it through DNS rebinding).
// With a console environment it also serves the local console under
// /console (console/server.ts), behind the same Host check. POST /files is
// local cloud storage for the app's uploads (uploads.ts).
import Fastify, { type FastifyInstance } from 'fastify';
import { AppError } from '../core/errors';
import type { Deps } from '../core/runtime/deps';
import { contextFor } from '../core/runtime/identity';
import type { ConsoleEnv } from './console/context';
import { registerConsole } from './console/server';
import { functions } from './functions';
import { httpFunctions } from './http-functions';
import { acceptOnlyLoopbackHosts, hostRefusal } from './loopback-host';
import { registerUploads } from './uploads';

export interface GatewayOptions {
  /** Serve the local console (what `npm start` passes: the stack's sandbox, job timers and clock). */
  console?: ConsoleEnv;
}

export function createGateway(deps: Deps, options: GatewayOptions = {}): FastifyInstance {
  if (deps.config.mode !== 'local') throw new Error('the local gateway runs only in local mode (PMS_MODE=local)');
  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });
  acceptOnlyLoopbackHosts(app, (reply, host, allowed) =>
    reply.send({
      ok: false,
      error: new AppError('GATEWAY.HOST_NOT_ALLOWED', hostRefusal(host, allowed), undefined, {
        host,
        allowed: allowed.join(', '),
      }).toApi(),
    }),
  );

  if (options.console) registerConsole(app, options.console);
  registerUploads(app, deps);

  app.get('/healthz', async () => ({ ok: true, mode: deps.config.mode, functions: Object.keys(functions) }));

  app.post<{ Params: { name: string } }>('/functions/:name', async (request, reply) => {
    const main = Object.hasOwn(functions, request.params.name) ? functions[request.params.name] : undefined;
    if (!main) {
      return reply.code(404).send({ ok: false, error: unknownFunction(request.params.name).toApi() });
    }
    const openid = header(request.headers['x-wx-openid']);
    const appid = header(request.headers['x-wx-appid']);
    const fromAppid = header(request.headers['x-wx-from-appid']);
    // No identity headers: an empty invocation environment, so nothing else can stand in for one.
    const context =
      openid && appid
        ? contextFor({ openid, appid, ...(fromAppid ? { fromAppid } : {}) }, request.id)
        : { environment: '{}', request_id: request.id };
    return main(request.body ?? {}, context);
  });

  // HTTP-triggered functions (payNotify) get the raw body, unparsed, because
  // WeChat Pay signatures cover its exact bytes.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.all<{ Params: { name: string } }>('/http/:name', async (request, reply) => {
      const fn = Object.hasOwn(httpFunctions, request.params.name) ? httpFunctions[request.params.name] : undefined;
      if (!fn) return reply.code(404).send(unknownFunction(request.params.name).toApi());
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.headers))
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const result = await fn({
        httpMethod: request.method,
        path: request.url.split('?')[0],
        headers,
        queryStringParameters: request.query as Record<string, string>,
        body: typeof request.body === 'string' ? request.body : '',
        isBase64Encoded: false,
      });
      return reply
        .code(result.statusCode)
        .headers(result.headers ?? {})
        .send(result.body ?? '');
    });
  });

  return app;
}

const unknownFunction = (name: string) =>
  new AppError('GATEWAY.UNKNOWN_FUNCTION', `no function ${name}`, undefined, { name });

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value || undefined;
}
