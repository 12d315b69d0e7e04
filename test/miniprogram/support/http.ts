// wx.request as a real HTTP request from this process, with WeChat's success
// and fail shapes: for tests against servers that really listen (the local
// gateway, the WeChat Pay sandbox).
import http from 'node:http';

export function realRequest(options: WechatMiniprogram.RequestOption): WechatMiniprogram.RequestTask {
  const method = options.method ?? 'GET';
  const hasBody = options.data !== undefined && method !== 'GET';
  const body = hasBody ? (typeof options.data === 'string' ? options.data : JSON.stringify(options.data)) : '';
  const headers: Record<string, string | number> = { ...(options.header as Record<string, string>) };
  if (hasBody) headers['content-length'] = Buffer.byteLength(body);
  const fail = (errMsg: string) => {
    const err = { errMsg, errno: 600001 } as WechatMiniprogram.RequestFailCallbackErr;
    options.fail?.(err);
    options.complete?.(err);
  };
  const req = http.request(options.url, { method, headers, timeout: options.timeout ?? 60000 }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let data: unknown = raw;
      if (options.dataType !== 'text') {
        try {
          data = JSON.parse(raw);
        } catch {
          // WeChat hands over the raw text when the body is not JSON.
        }
      }
      const result = {
        statusCode: res.statusCode ?? 0,
        data,
        header: res.headers,
        cookies: [],
        errMsg: 'request:ok',
      } as unknown as WechatMiniprogram.RequestSuccessCallbackResult;
      options.success?.(result as never);
      options.complete?.(result as never);
    });
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (err) => fail(`request:fail ${err.message}`));
  req.end(body);
  return { abort: () => req.destroy(new Error('abort')) } as unknown as WechatMiniprogram.RequestTask;
}
