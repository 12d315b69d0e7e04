// Local mode for page tests: the real gateway (cloudfunctions/local/gateway.ts)
// listening on a loopback port, the app's config pointed at it, and wx.request
// made as real HTTP. Calls to the gateway go through the same recorder as
// wx.cloud calls (so failNext/hold/calls work the same); any other URL (the
// WeChat Pay sandbox) is plain HTTP.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../../cloudfunctions/core/runtime/deps';
import { cloud, TransportDrop, type WireEvent } from './cloud';
import { realRequest } from './http';

export class LocalGateway {
  private server: FastifyInstance | null = null;
  url = '';

  async start(deps: Deps): Promise<string> {
    const { createGateway } =
      require('../../../cloudfunctions/local/gateway') as typeof import('../../../cloudfunctions/local/gateway');
    this.server = createGateway(deps);
    await this.server.listen({ host: '127.0.0.1', port: 0 });
    this.url = `http://127.0.0.1:${(this.server.server.address() as { port: number }).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }

  /** wx.request: gateway calls recorded (identity from the headers the app sent), everything real HTTP. */
  request() {
    return (options: WechatMiniprogram.RequestOption): WechatMiniprogram.RequestTask => {
      const prefix = `${this.url}/functions/`;
      if (!this.url || !options.url.startsWith(prefix)) return realRequest(options);
      const name = decodeURIComponent(options.url.slice(prefix.length));
      const header = (options.header ?? {}) as Record<string, string>;
      const identity = { openid: header['X-Wx-Openid'], appid: header['X-Wx-Appid'] };
      const event = JSON.parse(JSON.stringify(options.data ?? {})) as WireEvent;
      cloud.begin(name, event, identity.openid && identity.appid ? identity : null).then(
        (record) =>
          realRequest({
            ...options,
            success: (res) => {
              const data = res.data as { ok?: unknown };
              if (data && typeof data === 'object' && 'ok' in data) record.result = data as never;
              options.success?.(res);
            },
          }),
        (err) => {
          if (!(err instanceof TransportDrop)) throw err;
          const fail = { errMsg: `request:fail ${err.detail}`, errno: 5 } as WechatMiniprogram.RequestFailCallbackErr;
          options.fail?.(fail);
          options.complete?.(fail);
        },
      );
      return {} as WechatMiniprogram.RequestTask;
    };
  }
}
