// The sandbox's protocol layer, as strict as WeChat Pay: every /v3 request
// must carry a valid merchant signature over its exact method, path, query,
// timestamp, nonce and raw body (else 401 SIGN_ERROR); every /v3 response is
// signed with the platform key (bill files excepted, as on WeChat): the WeChat
// Pay public key, or the current platform certificate's key in certificate
// mode; errors are WeChat-shaped JSON.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  MAX_SKEW_SECONDS,
  parseAuthorization,
  requestMessage,
  rsaVerify,
  unixSeconds,
  wechatpaySignatureHeaders,
} from '../../core/adapters/wechatpay/crypto';
import type { SandboxContext } from './context';
import { WxError, wx } from './errors';

const rawBodies = new WeakMap<FastifyRequest, string>();

/** The body exactly as received (what the signature covers). */
export function rawBodyOf(request: FastifyRequest): string {
  return rawBodies.get(request) ?? '';
}

/** Paths whose answers WeChat does not sign (file downloads). */
const UNSIGNED_RESPONSES = ['/v3/billdownload/file'];
/** Paths that verify their own signature (multipart: the signature covers the meta part). */
const SELF_VERIFIED = ['/v3/merchant/media/upload'];

export function verifyRequestSignature(
  ctx: SandboxContext,
  method: string,
  pathWithQuery: string,
  body: string,
  authorization: string | undefined,
): void {
  const auth = parseAuthorization(authorization);
  if (!auth) throw wx.sign('Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》');
  if (auth.mchid !== ctx.keys.mchid) throw wx.sign(`商户号 ${auth.mchid} 不存在或与证书不匹配`);
  if (auth.serial_no !== ctx.keys.merchantSerial) throw wx.sign(`商户证书序列号 ${auth.serial_no} 有误`);
  if (!/^\d+$/.test(auth.timestamp) || Math.abs(unixSeconds(ctx.now()) - Number(auth.timestamp)) > MAX_SKEW_SECONDS)
    throw wx.sign('签名已过期，请检查timestamp');
  if (
    !rsaVerify(
      requestMessage(method, pathWithQuery, auth.timestamp, auth.nonce_str, body),
      auth.signature,
      ctx.keys.merchantPublicKey,
    )
  ) {
    throw wx.sign('错误的签名，验签失败');
  }
}

/**
 * The Wechatpay-Serial a request with encrypted fields must carry: the public key's id, or in
 * certificate mode the serial of a platform certificate in effect (old or new during a change).
 */
export function requirePlatformSerial(ctx: SandboxContext, request: FastifyRequest): void {
  const serial = request.headers['wechatpay-serial'];
  const valid = ctx.encryptionSerials();
  if (typeof serial !== 'string' || !valid.includes(serial))
    throw wx.param(
      ctx.platformMode === 'public_key'
        ? `Wechatpay-Serial 应为加密敏感信息所用的微信支付公钥ID ${ctx.keys.platformKeyId}`
        : `Wechatpay-Serial 应为加密敏感信息所用的平台证书序列号（${valid.join('、')}）`,
      { location: 'header', field: 'Wechatpay-Serial' },
    );
}

export function installProtocol(app: FastifyInstance, ctx: SandboxContext): void {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    rawBodies.set(request, text);
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(wx.param('请求体不是合法的JSON'), undefined);
    }
  });

  // Whatever the clock says has happened by now has happened, before any request is answered.
  app.addHook('onRequest', async () => {
    ctx.applyDue();
  });

  app.addHook('preHandler', async (request) => {
    const route = request.routeOptions.url ?? '';
    if (!route.startsWith('/v3/') || SELF_VERIFIED.includes(route)) return;
    verifyRequestSignature(ctx, request.method, request.url, rawBodyOf(request), request.headers.authorization);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/v3/') || UNSIGNED_RESPONSES.some((p) => request.url.startsWith(p))) return payload;
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    const signer = ctx.signer();
    reply.headers(wechatpaySignatureHeaders(body, signer.serial, signer.privateKey, ctx.now()));
    reply.header('Request-ID', `sandbox-${request.id}`);
    return payload;
  });

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof WxError) return reply.code(err.status).send(err.body());
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status === 413) return reply.code(400).send({ code: 'PARAM_ERROR', message: '请求体过大' });
    if (status === 415)
      return reply.code(400).send({ code: 'INVALID_REQUEST', message: 'Content-Type 应为 application/json' });
    if (status >= 400 && status < 500)
      return reply.code(400).send({ code: 'INVALID_REQUEST', message: (err as Error).message });
    ctx.log('sandbox error', { url: request.url, error: (err as Error).message });
    return reply.code(500).send({ code: 'SYSTEM_ERROR', message: '系统错误' });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'NOT_FOUND', message: `no API ${request.method} ${request.url.split('?')[0]}` }),
  );
}
