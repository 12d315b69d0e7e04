// Local mode for page tests: the real gateway (cloudfunctions/local/gateway.ts)
// listening on a loopback port, the app's config pointed at it, and wx.request
// made as real HTTP. Calls to the gateway go through the same recorder as
// wx.cloud calls (so failNext/hold/calls work the same); any other URL (the
// WeChat Pay sandbox) is plain HTTP. wx.uploadFile posts the phone's photo
// to the gateway's /files as multipart/form-data over real HTTP, reporting
// progress as the chunks are written (uploads recorded like wx.cloud's).
import crypto from 'node:crypto';
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../../cloudfunctions/core/runtime/deps';
import { cloud, type RecordedUpload, TransportDrop, type WireEvent } from './cloud';
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

  /** wx.uploadFile: the phone's file as multipart/form-data, the way WeChat sends it, to any loopback URL. */
  upload() {
    return (options: WechatMiniprogram.UploadFileOption): WechatMiniprogram.UploadTask => {
      const listeners: Array<(res: WechatMiniprogram.UploadTaskOnProgressUpdateListenerResult) => void> = [];
      const fail = (errMsg: string) => {
        const err = { errMsg: `uploadFile:fail ${errMsg}` } as WechatMiniprogram.GeneralCallbackResult;
        options.fail?.(err);
        options.complete?.(err);
      };
      const header = (options.header ?? {}) as Record<string, string>;
      const formData = (options.formData ?? {}) as Record<string, string>;
      const record: RecordedUpload = {
        cloudPath: String(formData.cloudPath ?? ''),
        filePath: options.filePath,
        identity: { openid: header['X-Wx-Openid'], appid: header['X-Wx-Appid'] },
        progress: [],
      };
      cloud.uploads.push(record);
      const run = async () => {
        await Promise.resolve();
        const content = cloud.phoneFile(options.filePath);
        if (!content) {
          record.failure = 'file not found';
          return fail(`file not found: ${options.filePath}`);
        }
        const boundary = `----wxupload${crypto.randomBytes(8).toString('hex')}`;
        const fields = Object.entries(formData).map(
          ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        );
        const filename = options.filePath.split('/').pop() ?? 'file';
        const head = Buffer.from(
          `${fields.join('')}--${boundary}\r\nContent-Disposition: form-data; name="${options.name}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        );
        const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
        const answer = new Promise<{ statusCode: number; data: string }>((resolve, reject) => {
          const req = http.request(options.url, {
            method: 'POST',
            headers: {
              ...header,
              'content-type': `multipart/form-data; boundary=${boundary}`,
              'content-length': head.length + content.length + tail.length,
            },
            timeout: options.timeout ?? 60000,
          });
          req.on('response', (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, data: Buffer.concat(chunks).toString() }));
          });
          req.on('timeout', () => req.destroy(new Error('timeout')));
          req.on('error', reject);
          req.write(head);
          cloud
            .transfer(record, content, listeners, (chunk) => new Promise((done) => req.write(chunk, () => done())))
            .then(
              () => req.end(tail),
              (err) => {
                req.destroy();
                reject(err);
              },
            );
        });
        let res: { statusCode: number; data: string };
        try {
          res = await answer;
        } catch (err) {
          const detail = err instanceof TransportDrop ? err.detail : (err as Error).message;
          record.failure ??= detail;
          return fail(detail);
        }
        try {
          const parsed = JSON.parse(res.data) as { ok?: boolean; data?: { fileID?: string } };
          if (parsed.ok) record.fileID = parsed.data?.fileID;
        } catch {
          // Not JSON: the app is handed the text as is.
        }
        // Like WeChat: any HTTP answer is a success with its status code; data stays a string.
        const result = { errMsg: 'uploadFile:ok', statusCode: res.statusCode, data: res.data };
        options.success?.(result as WechatMiniprogram.UploadFileSuccessCallbackResult);
        options.complete?.(result);
      };
      void run();
      return {
        onProgressUpdate: (listener: (res: WechatMiniprogram.UploadTaskOnProgressUpdateListenerResult) => void) => {
          listeners.push(listener);
        },
        offProgressUpdate: () => {
          listeners.length = 0;
        },
        abort: () => undefined,
      } as unknown as WechatMiniprogram.UploadTask;
    };
  }
}
