// CloudBase storage at the wire: the real SDK against the loopback fake,
// which serves the storage API and a COS-like bucket for the bytes.
import { createHash } from 'node:crypto';
import { CloudBaseFileStore } from '../../cloudfunctions/core/adapters/cloudbase/files';
import { CloudBaseFake } from '../support/cloudbase-fake';

process.env.TENCENTCLOUD = 'true';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('CloudBaseFileStore over the wire', () => {
  let fake: CloudBaseFake;
  let files: CloudBaseFileStore;
  beforeAll(async () => {
    fake = await new CloudBaseFake().start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    files = CloudBaseFileStore.fromEnv(fake.processEnv);
    fake.reset();
  });

  test('put: upload metadata from the API, then a PUT of the bytes to the presigned URL', async () => {
    const content = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0xff, 0x10]);
    const stored = await files.put('applications/wx1/id-front.png', content, 'image/png');
    expect(stored).toEqual({
      fileId: `cloud://${fake.env}.7465-${fake.env}-1250000000/applications/wx1/id-front.png`,
      bytes: 8,
      sha256: sha256(content),
    });

    expect(fake.actions()).toEqual(['storage.getUploadMetadata']);
    expect(fake.calls[0].body).toMatchObject({
      path: 'applications/wx1/id-front.png',
      method: 'put',
      envName: fake.env,
    });
    expect(fake.cos).toHaveLength(1);
    const [put] = fake.cos;
    expect(put.method).toBe('PUT');
    expect(put.path).toBe('/cos/applications/wx1/id-front.png');
    expect(put.bytes).toEqual(content);
    expect(put.headers.authorization).toMatch(/^q-sign-algorithm=sha1/);
    expect(put.headers['x-cos-security-token']).toBe('cos-session-token');
    expect(put.headers['x-cos-meta-fileid']).toMatch(/^cos-/);
    expect(fake.storedFile(stored.fileId)).toEqual(content);
  });

  test('get: a temporary URL from the API, then a GET of the bytes; missing files are null', async () => {
    const content = Buffer.from('licence scan');
    const { fileId } = await files.put('a/licence.jpg', content, 'image/jpeg');
    fake.reset();
    expect(await files.get(fileId)).toEqual(content);
    expect(fake.actions()).toEqual(['storage.batchGetDownloadUrl']);
    expect(fake.calls[0].body.file_list).toEqual([{ fileid: fileId, max_age: 600 }]);
    expect(fake.cos.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /cos/a/licence.jpg']);

    expect(await files.get(`cloud://${fake.env}.7465-${fake.env}-1250000000/a/none.jpg`)).toBeNull();
  });

  test('get: the object gone between the temporary URL and the download (COS 404) is missing too: null', async () => {
    const { fileId } = await files.put('a/raced.jpg', Buffer.from('soon gone'), 'image/jpeg');
    fake.reset();
    fake.dropObjectAfterNextUrl();
    expect(await files.get(fileId)).toBeNull();
    expect(fake.actions()).toEqual(['storage.batchGetDownloadUrl']);
    expect(fake.cos.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /cos/a/raced.jpg']);
  });

  test('remove: one batchDeleteFile; removing again is not an error', async () => {
    const { fileId } = await files.put('a/old.jpg', Buffer.from('x'), 'image/jpeg');
    fake.reset();
    await files.remove(fileId);
    expect(fake.actions()).toEqual(['storage.batchDeleteFile']);
    expect(fake.calls[0].body.fileid_list).toEqual([fileId]);
    expect(fake.storedFile(fileId)).toBeUndefined();
    await expect(files.remove(fileId)).resolves.toBeUndefined();
    expect(await files.get(fileId)).toBeNull();
  });

  test('bad keys and foreign ids are refused before any request', async () => {
    await expect(files.put('../x.jpg', Buffer.from('x'), 'image/jpeg')).rejects.toThrow(RangeError);
    await expect(files.put('/abs.jpg', Buffer.from('x'), 'image/jpeg')).rejects.toThrow(RangeError);
    await expect(files.get('local://a.jpg')).rejects.toThrow(/not a CloudBase file id/);
    await expect(files.remove('a.jpg')).rejects.toThrow(/not a CloudBase file id/);
    expect(fake.calls).toHaveLength(0);
    expect(fake.cos).toHaveLength(0);
  });

  test('keyOf: the path of a cloud file id (what wx.cloud.uploadFile answers), else nothing; no request', async () => {
    const stored = await files.put('applications/wx1/abc/licence-1.jpg', Buffer.from('x'), 'image/jpeg');
    fake.reset();
    expect(files.keyOf(stored.fileId)).toBe('applications/wx1/abc/licence-1.jpg');
    expect(files.keyOf('cloud://prod-1a2b.7072-prod-1a2b-1300000000/applications/wx1/abc/x.png')).toBe(
      'applications/wx1/abc/x.png',
    );
    for (const id of [
      'local://applications/wx1/abc/x.png',
      'cloud://env/../applications/x.png',
      'cloud://env.bucket/applications/../x.png',
      'cloud://env.bucket//x.png',
      'cloud://env.bucket/',
      'cloud:///x.png',
      'https://env.bucket/x.png',
      'applications/x.png',
    ])
      expect(files.keyOf(id)).toBeNull();
    expect(fake.calls).toHaveLength(0);
  });

  test('a storage error other than "missing" surfaces', async () => {
    fake.failNext('storage.batchGetDownloadUrl', 'STORAGE_REQUEST_FAIL', 'storage request fail');
    await expect(files.get(`cloud://${fake.env}.7465-${fake.env}-1250000000/a/x.jpg`)).rejects.toMatchObject({
      code: 'STORAGE_REQUEST_FAIL',
    });
  });
});
