// Local mode's stand-in for cloud storage uploads: POST /files takes what the
// app's wx.uploadFile sends (multipart/form-data: a `cloudPath` field and one
// file), stores it in the local file store and answers its file id, as
// wx.cloud.uploadFile answers a fileID. The caller (X-Wx-* headers, as for
// /functions) may only write into its own upload folder, so no upload can
// replace another user's file or the sealed documents the functions keep.
// Bodies are size-limited; the functions judge the image itself.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { checkFileKey } from '../core/adapters/local/files';
import { AppError } from '../core/errors';
import { inUploadFolder } from '../core/onboarding/documents';
import type { Deps } from '../core/runtime/deps';

/** Room for a 2 MB photo many times over; the function refuses anything over 2 MB itself. */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  content: Buffer;
}

/** The boundary of a multipart/form-data Content-Type, or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2]) : null;
}

/** The parts of a multipart/form-data body (RFC 7578), or null when it is malformed. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) return null;
  for (;;) {
    at += delimiter.length;
    // "--" after a delimiter closes the body.
    if (body.subarray(at, at + 2).toString('latin1') === '--') return parts;
    if (body.subarray(at, at + 2).toString('latin1') !== '\r\n') return null;
    const headersEnd = body.indexOf('\r\n\r\n', at + 2);
    if (headersEnd < 0) return null;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
    if (next < 0) return null;
    const headers = body.subarray(at + 2, headersEnd).toString('utf8');
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? '';
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return null;
    const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    const contentType = /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim();
    parts.push({
      name,
      ...(filename !== undefined ? { filename } : {}),
      ...(contentType ? { contentType } : {}),
      content: body.subarray(headersEnd + 4, next),
    });
    at = next + 2;
  }
}

function refuse(reply: FastifyReply, status: number, error: AppError) {
  return reply.code(status).send({ ok: false, error: error.toApi() });
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

export function registerUploads(app: FastifyInstance, deps: Deps): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
      (_r, body, done) => done(null, body),
    );
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_r, _body, done) =>
      done(null, null),
    );
    scope.setErrorHandler((err: { statusCode?: number }, _request, reply) => {
      const status = err.statusCode === 413 ? 413 : 400;
      const text = status === 413 ? `uploads are at most ${MAX_UPLOAD_BYTES} bytes` : 'not a file upload';
      return refuse(reply, status, new AppError('INPUT.INVALID', text));
    });

    scope.post('/files', async (request, reply) => {
      const openid = header(request.headers['x-wx-openid']);
      const appid = header(request.headers['x-wx-appid']);
      if (!openid || !appid) return refuse(reply, 401, new AppError('AUTH.NO_IDENTITY', 'no caller identity'));
      const boundary = boundaryOf(request.headers['content-type']);
      const parts = Buffer.isBuffer(request.body) && boundary ? parseMultipart(request.body, boundary) : null;
      const files = parts?.filter((p) => p.filename !== undefined) ?? [];
      const cloudPath = parts?.find((p) => p.name === 'cloudPath' && p.filename === undefined)?.content.toString();
      if (!parts || files.length !== 1 || !cloudPath)
        return refuse(
          reply,
          400,
          new AppError('INPUT.INVALID', 'send one file and its cloudPath as multipart/form-data'),
        );

      let key: string | null = null;
      try {
        key = checkFileKey(cloudPath);
      } catch {
        // Refused below like any path outside the folder.
      }
      if (!inUploadFolder({ openid, appid }, key))
        return refuse(
          reply,
          403,
          new AppError('AUTH.FORBIDDEN', 'uploads go to your own folder only', undefined, { action: 'files' }),
        );
      const stored = await deps.files.put(key, files[0].content, files[0].contentType ?? 'application/octet-stream');
      return { ok: true, data: { fileID: stored.fileId } };
    });
  });
}
