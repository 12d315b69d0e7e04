// Documents in local mode: the app as a developer runs it against `npm start`.
// The photo goes to the real gateway's POST /files with wx.uploadFile
// (multipart over real HTTP, progress as the bytes leave), lands in the local
// file store, and the function reads it by the file id the gateway answered.
import fs from 'node:fs';
import path from 'node:path';
import type { ApplicationView } from '../../../typings/onboarding';
import { uploadFolder } from '../../../cloudfunctions/core/onboarding/documents';
import { find, loadPage, renderPage, tap, text, useHarness, waitFor } from '../harness';
import { cloud } from '../support/cloud';
import { buyer, ok } from '../../support/deps';
import { GIF, jpeg, validSteps } from '../../onboarding/fixtures';
import { choose, merchant, saveAll } from '../../onboarding/support';
import { pickPhoto } from './support';

const h = useHarness({ as: 'admin', mode: 'local' });
const documents = loadPage('packages/onboarding/pages/documents/index');
type Page = ReturnType<typeof renderPage>;
const slot = (page: Page, name: string) => page.data.slots.find((s: { slot: string }) => s.slot === name);

async function openPage(): Promise<Page> {
  await choose('INDIVIDUAL');
  await saveAll(validSteps('INDIVIDUAL'));
  const page = renderPage(documents);
  await waitFor(() => page.data.loadState === 'idle' && page.data.slots.length > 0);
  return page;
}

test('the photo goes through the gateway into the local file store, with progress, and the function takes it', async () => {
  const page = await openPage();
  const release = cloud.holdUploads();
  const photo = jpeg('licence', 64 * 1024);
  pickPhoto(photo);
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').progress === 50);
  expect(text(find(page, 'docs__stage', 'docs__slot--licence'))).toBe('正在上传 50%');
  release();
  await waitFor(() => slot(page, 'licence').uploaded);
  expect(text(find(page, 'docs__slot--licence'))).toBe('营业执照 已上传 64KB 重新上传');

  // wx.uploadFile to the gateway, as the local identity, with the path the server chose.
  expect(wx.uploadFile).toHaveBeenCalledWith(
    expect.objectContaining({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files$/),
      name: 'file',
      formData: { cloudPath: expect.stringMatching(new RegExp(`^${uploadFolder(h.identity)}/licence-`)) },
      header: { 'X-Wx-Openid': h.identity.openid, 'X-Wx-Appid': h.identity.appid },
    }),
  );
  const [upload] = cloud.uploads;
  expect(upload.progress.map((p) => p.progress)).toEqual([25, 50, 75, 100]);
  expect(upload.fileID).toBe(`local://${upload.cloudPath}`);
  expect(h.callsTo('merchant', 'uploadDocument')[0].data).toEqual({ slot: 'licence', fileId: upload.fileID });
  // Taken, sealed, and the plain upload removed from .data/uploads.
  expect(fs.existsSync(path.join(h.deps.dataDir, 'uploads', upload.cloudPath))).toBe(false);
  const app = await ok(merchant<ApplicationView>('getApplication'));
  expect(app.documents.licence).toMatchObject({ contentType: 'image/jpeg', bytes: photo.length });
});

test('the server judges the image the same way: a GIF is refused on the card', async () => {
  const page = await openPage();
  pickPhoto(GIF);
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').error !== '');
  expect(text(find(page, 'docs__error', 'docs__slot--licence'))).toBe('只支持 JPG、PNG 或 BMP 图片');
});

test("the gateway keeps uploads in the caller's own folder: a changed path is refused", async () => {
  const page = await openPage();
  const upload = (wx.uploadFile as unknown as jest.Mock).getMockImplementation()!;
  (wx.uploadFile as unknown as jest.Mock).mockImplementationOnce((o: WechatMiniprogram.UploadFileOption) =>
    upload({ ...o, formData: { cloudPath: `${uploadFolder(buyer)}/licence-x.jpg` } }),
  );
  pickPhoto(jpeg('licence'));
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').error !== '');
  expect(text(find(page, 'docs__error', 'docs__slot--licence'))).toBe('你没有权限进行该操作');
  expect(h.callsTo('merchant', 'uploadDocument')).toHaveLength(0);
  expect(fs.existsSync(path.join(h.deps.dataDir, 'uploads', uploadFolder(buyer)))).toBe(false);
});

test('no gateway while uploading: the network error, and Retry sends the photo again', async () => {
  const page = await openPage();
  pickPhoto(jpeg('licence'));
  cloud.failNextUpload();
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').error !== '');
  expect(text(find(page, 'docs__error', 'docs__slot--licence'))).toBe('网络不可用，请检查网络后重试');
  await tap(find(page, 'docs__retry', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').uploaded);
  expect(cloud.uploads).toHaveLength(2);
});
