// Media upload for applications: multipart `meta` ({filename, sha256}) +
// `file`, the request signature computed over the meta JSON; JPG/BMP/PNG by
// content, at most 2 MB, the SHA-256 must match. Answers a media_id that the
// application may reference.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sha256Hex } from '../../core/adapters/wechatpay/crypto';
import { imageType } from '../../core/adapters/wechatpay/provider';
import { rfc3339 } from '../../../miniprogram/shared/beijing';
import { verifyRequestSignature } from './auth';
import type { SandboxContext } from './context';
import { parse, wx } from './errors';
import { boundaryOf, parseMultipart, type Part } from './multipart';

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

export interface MediaDoc {
  media_id: string;
  filename: string;
  sha256: string;
  bytes: number;
  content_type: string;
  created_at: string;
}

const metaSchema = z.object({ filename: z.string().min(1).max(128), sha256: z.string().regex(/^[0-9a-fA-F]{64}$/) });

export function mediaExists(ctx: SandboxContext, mediaId: unknown): boolean {
  return typeof mediaId === 'string' && ctx.state.get<MediaDoc>('media', mediaId) !== null;
}

export function mediaRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: MAX_IMAGE_BYTES + 64 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.post('/v3/merchant/media/upload', async (request) => {
    const boundary = boundaryOf(request.headers['content-type']);
    if (!boundary || !Buffer.isBuffer(request.body)) throw wx.invalid('Content-Type 应为 multipart/form-data');
    let parts: Part[];
    try {
      parts = parseMultipart(request.body, boundary);
    } catch (err) {
      throw wx.param(`multipart 格式错误: ${(err as Error).message}`);
    }
    // SDKs send meta as a plain field or as a JSON "file" part (meta.json); either way its raw bytes are signed.
    const metaJson = parts.find((p) => p.name === 'meta')?.data.toString('utf8');
    const file = parts.find((p) => p.name === 'file')?.data;
    if (metaJson === undefined) throw wx.param('缺少 meta', { location: 'body', field: 'meta' });
    verifyRequestSignature(ctx, request.method, request.url, metaJson, request.headers.authorization);
    let meta: unknown;
    try {
      meta = JSON.parse(metaJson);
    } catch {
      throw wx.param('meta 不是合法的JSON', { location: 'body', field: 'meta' });
    }
    const m = parse(metaSchema, meta);
    if (!file || file.length === 0) throw wx.param('缺少 file', { location: 'body', field: 'file' });
    if (file.length > MAX_IMAGE_BYTES) throw wx.param('图片大小不能超过2M', { location: 'body', field: 'file' });
    const type = imageType(file);
    if (!type) throw wx.param('图片格式不支持，仅支持JPG、BMP、PNG', { location: 'body', field: 'file' });
    if (sha256Hex(file) !== m.sha256.toLowerCase())
      throw wx.param('文件的sha256与meta中的sha256不一致', { location: 'body', field: 'meta/sha256' });
    const doc: MediaDoc = {
      media_id: ctx.ids.mediaId(),
      filename: m.filename,
      sha256: m.sha256.toLowerCase(),
      bytes: file.length,
      content_type: type,
      created_at: rfc3339(ctx.now()),
    };
    ctx.state.put('media', doc.media_id, doc);
    return { media_id: doc.media_id };
  });
}
