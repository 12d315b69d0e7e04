// DNS rebinding guard for the local servers (gateway and sandbox). They listen
// on 127.0.0.1 only, but a web page can point a domain of its own at
// 127.0.0.1 and then reach them from the browser: such requests carry the
// page's host name in `Host`. Only the loopback names with the port the
// request arrived on are accepted; anything else is refused with 403 and a
// JSON error before any route runs.
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The Host values a request arriving on `port` may carry. */
export function allowedHosts(port: number): string[] {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  // A client leaves the port out of Host when it is the scheme's default.
  if (port === 80) hosts.push('127.0.0.1', 'localhost');
  return hosts;
}

export function isLoopbackHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

/**
 * Adds the check to every route of `app` (register it before the routes).
 * `refuse` writes the server's own JSON error shape. A request that did not
 * come over a socket (fastify's inject) has no port and is not checked.
 */
export function acceptOnlyLoopbackHosts(
  app: FastifyInstance,
  refuse: (reply: FastifyReply, host: string, allowed: string[]) => FastifyReply,
): void {
  app.addHook('onRequest', async (request, reply) => {
    const port = request.socket?.localPort;
    if (port === undefined) return;
    const host = request.headers.host;
    if (isLoopbackHost(host, port)) return;
    return refuse(reply.code(403), host ?? '', allowedHosts(port));
  });
}

/** The refusal's English text, the same on both servers. */
export function hostRefusal(host: string, allowed: string[]): string {
  return (
    `Host ${JSON.stringify(host)} is not served here: this local server answers only ${allowed.join(' or ')} ` +
    '(requests naming another host may come from a web page through DNS rebinding)'
  );
}
