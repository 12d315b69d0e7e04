import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { checkFileKey, LocalFileStore } from '../../cloudfunctions/core/adapters/local/files';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('LocalFileStore', () => {
  let root: string;
  let files: LocalFileStore;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-files-'));
    files = new LocalFileStore(path.join(root, 'uploads'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('put stores the bytes under the folder and reports id, size and sha256; get reads them back', async () => {
    const content = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 3]);
    const stored = await files.put('applications/app-1/licence.jpg', content, 'image/jpeg');
    expect(stored).toEqual({ fileId: 'local://applications/app-1/licence.jpg', bytes: 8, sha256: sha256(content) });
    expect(fs.readFileSync(path.join(root, 'uploads', 'applications', 'app-1', 'licence.jpg'))).toEqual(content);
    expect(await files.get(stored.fileId)).toEqual(content);
    // No temp files left beside it.
    expect(fs.readdirSync(path.join(root, 'uploads', 'applications', 'app-1'))).toEqual(['licence.jpg']);
  });

  test('a second put of the same key replaces the content', async () => {
    await files.put('a/b.png', Buffer.from('one'), 'image/png');
    const again = await files.put('a/b.png', Buffer.from('second'), 'image/png');
    expect(again.bytes).toBe(6);
    expect((await files.get('local://a/b.png'))?.toString()).toBe('second');
  });

  test('missing files read as null; remove is idempotent', async () => {
    const { fileId } = await files.put('x/y.pdf', Buffer.from('%PDF'), 'application/pdf');
    await files.remove(fileId);
    expect(await files.get(fileId)).toBeNull();
    await expect(files.remove(fileId)).resolves.toBeUndefined();
    expect(await files.get('local://never/there.jpg')).toBeNull();
  });

  test.each([
    '../escape.jpg',
    'a/../../escape.jpg',
    '/etc/passwd',
    'a//b.jpg',
    'a/./b.jpg',
    '.hidden',
    'a/',
    'a\\..\\b',
    'a/b c.jpg',
    '',
    'x'.repeat(513),
  ])('refuses the key %j without touching the disk', async (key) => {
    await expect(files.put(key, Buffer.from('x'), 'text/plain')).rejects.toThrow(RangeError);
    await expect(files.get(`local://${key}`)).rejects.toThrow(RangeError);
    await expect(files.remove(`local://${key}`)).rejects.toThrow(RangeError);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  test('only local:// ids are accepted', async () => {
    await expect(files.get('cloud://env.1234/a.jpg')).rejects.toThrow(/not a local file id/);
    await expect(files.get('a.jpg')).rejects.toThrow(/not a local file id/);
  });

  test('keyOf names the key of a local id, and nothing for anything else', async () => {
    const { fileId } = await files.put('applications/wx1/abc/licence-1.jpg', Buffer.from('x'), 'image/jpeg');
    expect(files.keyOf(fileId)).toBe('applications/wx1/abc/licence-1.jpg');
    for (const id of ['cloud://env.1234/a.jpg', 'a.jpg', 'local://', 'local://a/../b.jpg', 'local:///etc/passwd', 42])
      expect(files.keyOf(id as string)).toBeNull();
  });

  test('files are 0600 and folders 0700, whatever the umask', async () => {
    const umask = process.umask(0o022);
    try {
      await files.put('applications/wx1/abc/licence.jpg', Buffer.from('x'), 'image/jpeg');
    } finally {
      process.umask(umask);
    }
    const mode = (p: string) => fs.statSync(path.join(root, 'uploads', p)).mode & 0o777;
    expect(mode('applications/wx1/abc/licence.jpg')).toBe(0o600);
    expect(mode('applications/wx1/abc')).toBe(0o700);
    expect(mode('applications')).toBe(0o700);
  });

  test('the key rule accepts ordinary nested names', () => {
    expect(checkFileKey('applications/wx123/2024-01-01_licence.v2.jpg')).toBe(
      'applications/wx123/2024-01-01_licence.v2.jpg',
    );
  });
});
