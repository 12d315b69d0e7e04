// Local mode's stand-in for cloud storage uploads: POST /files takes what the
// app's wx.uploadFile sends (multipart/form-data: a `cloudPath` field and one
// file), stores it in the local file store and answers its file id, as
// wx.cloud.uploadFile answers a fileID. The caller (X-Wx-* headers, as for
// /functions) may only write into its own upload folder, so no upload can
// replace another user's file or the sealed documents the functions keep.
// Bodies are parsed by @fastify/multipart and size-limited; the functions
// judge the image itself.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkFileKey } from '../core/adapters/local/files';
import { AppError } from '../core/errors';
import { inUploadFolder } from '../core/onboarding/documents';
import type { Deps } from '../core/runtime/deps';

/** Room for a 2 MB photo many times over; the function refuses anything over 2 MB itself. */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;

function refuse(reply: FastifyReply, status: number, error: AppError) {
  return reply.code(status).send({ ok: false, error: error.toApi() });
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

/** What wx.uploadFile sent: its `cloudPath` field and its one file, in whichever order they came. */
async function readUpload(
  request: FastifyRequest,
): Promise<{ cloudPath?: string; files: Array<{ content: Buffer; contentType: string }> }> {
  const upload: { cloudPath?: string; files: Array<{ content: Buffer; contentType: string }> } = { files: [] };
  for await (const part of request.parts()) {
    if (part.type === 'file') upload.files.push({ content: await part.toBuffer(), contentType: part.mimetype });
    else if (part.fieldname === 'cloudPath' && typeof part.value === 'string') upload.cloudPath = part.value;
  }
  return upload;
}

export function registerUploads(app: FastifyInstance, deps: Deps): void {
  app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 4 },
      throwFileSizeLimit: true,
    });
    scope.setErrorHandler((err: { statusCode?: number }, _request, reply) => {
      const status = err.statusCode === 413 ? 413 : 400;
      const text = status === 413 ? `uploads are at most ${MAX_UPLOAD_BYTES} bytes` : 'not a file upload';
      return refuse(reply, status, new AppError('INPUT.INVALID', text));
    });

    scope.post('/files', async (request, reply) => {
      const openid = header(request.headers['x-wx-openid']);
      const appid = header(request.headers['x-wx-appid']);
      if (!openid || !appid) return refuse(reply, 401, new AppError('AUTH.NO_IDENTITY', 'no caller identity'));
      const { cloudPath, files } = request.isMultipart() ? await readUpload(request) : { files: [] };
      const [file] = files;
      if (!file || files.length !== 1 || !cloudPath)
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
      const stored = await deps.files.put(key, file.content, file.contentType || 'application/octet-stream');
      return { ok: true, data: { fileID: stored.fileId } };
    });
  });
}
