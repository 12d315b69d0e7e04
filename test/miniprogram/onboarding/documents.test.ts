// Documents: choose a photo, upload it to cloud storage with the platform's
// own progress, hand the file id to the function; preview, retry the same
// photo, refusals shown on their card, and the way on to the review.
import type { ApplicationView } from '../../../typings/onboarding';
import { uploadFolder } from '../../../cloudfunctions/core/onboarding/documents';
import { exists, find, findAll, loadPage, renderPage, speak, tap, text, useHarness, waitFor } from '../harness';
import { cloud } from '../support/cloud';
import { buyer, ok } from '../../support/deps';
import { GIF, jpeg, PNG, validSteps } from '../../onboarding/fixtures';
import { choose, merchant, saveAll, uploadAll } from '../../onboarding/support';
import { cancelPhoto, pickPhoto } from './support';

const h = useHarness({ as: 'admin' });
const documents = loadPage('packages/onboarding/pages/documents/index');
type Page = ReturnType<typeof renderPage>;
const loaded = (page: Page) => waitFor(() => page.data.loadState === 'idle' && page.data.slots.length > 0);
const slot = (page: Page, name: string) => page.data.slots.find((s: { slot: string }) => s.slot === name);
const card = (page: Page, name: string) => text(find(page, `docs__slot--${name}`));

async function individualDraft() {
  await choose('INDIVIDUAL');
  await saveAll(validSteps('INDIVIDUAL'));
}

test('each needed document: the photo goes to cloud storage with real progress, its file id to the function', async () => {
  await individualDraft();
  const page = renderPage(documents);
  expect(exists(page, 't-loading')).toBe(true);
  await loaded(page);
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '填写申请资料' }));
  expect(text(find(page, 'step-bar__title'))).toBe('上传材料');
  expect(page.data.slots.map((s: { slot: string; required: boolean }) => [s.slot, s.required])).toEqual([
    ['licence', true],
    ['legalIdFront', true],
    ['legalIdBack', true],
  ]);
  // An individual business's legal representative is its operator.
  expect(findAll(page, 'docs__label').map(text)).toEqual(['营业执照', '经营者证件人像面', '经营者证件国徽面']);
  expect(card(page, 'licence')).toBe('营业执照 必传 上传照片');
  expect(text(find(page, 'docs__hint'))).toContain('JPG、PNG、BMP');

  // The first photo is held halfway: the page shows the platform's figure, not a made-up one.
  const release = cloud.holdUploads();
  const path = pickPhoto(jpeg('licence', 40 * 1024));
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').progress === 50);
  expect(text(find(page, 'docs__stage', 'docs__slot--licence'))).toBe('正在上传 50%');
  // The simulator drops aria-* attributes from the DOM: the bar's accessible name is checked in the data.
  expect(slot(page, 'licence').progressLabel).toBe('营业执照已上传 50%');
  expect(slot(page, 'licence').chooseLabel).toBe('上传营业执照');
  expect(cloud.uploads).toHaveLength(1);
  expect(cloud.uploads[0].progress).toEqual([
    { progress: 25, totalBytesSent: 10240, totalBytesExpectedToSend: 40960 },
    { progress: 50, totalBytesSent: 20480, totalBytesExpectedToSend: 40960 },
  ]);
  expect(h.callsTo('merchant', 'uploadDocument')).toHaveLength(0);
  release();
  await waitFor(() => slot(page, 'licence').uploaded);
  expect(slot(page, 'licence')).toMatchObject({ preview: path, progress: -1, error: '' });
  expect(card(page, 'licence')).toBe('营业执照 已上传 40KB 重新上传');

  // Where it went: a path the server chose in this admin's folder; the function got the file id, never the bytes.
  const [upload] = cloud.uploads;
  expect(upload.filePath).toBe(path);
  expect(upload.cloudPath).toMatch(new RegExp(`^${uploadFolder(h.identity)}/licence-[\\w-]+\\.png$`));
  expect(h.callsTo('merchant', 'uploadDocument')[0].data).toEqual({ slot: 'licence', fileId: upload.fileID });
  // The plain photo is gone from storage once the function took it (sealed copy kept).
  expect(await h.deps.files.get(upload.fileID!)).toBeNull();

  for (const name of ['legalIdFront', 'legalIdBack']) {
    pickPhoto(PNG);
    await tap(find(page, 'docs__choose', `docs__slot--${name}`));
    await waitFor(() => slot(page, name).uploaded);
  }
  expect(findAll(page, 'docs__preview')).toHaveLength(3);
  expect(JSON.stringify(h.calls.map((c) => c.data))).not.toContain(PNG.toString('base64'));
  const app = await ok(merchant<ApplicationView>('getApplication'));
  expect(app.complete.documents).toBe(true);
  expect(app.documents.licence?.contentType).toBe('image/jpeg');

  await tap(find(page, 'docs__next'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/review/index']);
});

test('moving on with a document missing is refused on the page', async () => {
  await individualDraft();
  const page = renderPage(documents);
  await loaded(page);
  await tap(find(page, 'docs__next'));
  expect(text(find(page, 'docs__submit-error'))).toBe('请先上传全部必传材料');
  expect(h.navigations()).toEqual([]);
});

test('a photo over 2 MB is refused before sending; a cancelled picker does nothing', async () => {
  await individualDraft();
  const page = renderPage(documents);
  await loaded(page);
  pickPhoto(PNG, 3 * 1024 * 1024);
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').error !== '');
  expect(text(find(page, 'docs__error'))).toBe('这张照片有 3.0MB，超过了 2MB。请重新拍摄，或选择较小的照片。');
  expect(exists(page, 'docs__retry')).toBe(false);
  cancelPhoto();
  await tap(find(page, 'docs__choose', 'docs__slot--legalIdFront'));
  expect(h.callsTo('merchant', 'prepareDocumentUpload')).toHaveLength(0);
  expect(cloud.uploads).toHaveLength(0);
});

test('an upload cut off midway shows the network error; Retry sends the same photo again', async () => {
  await individualDraft();
  const page = renderPage(documents);
  await loaded(page);
  const path = pickPhoto(PNG);
  cloud.failNextUpload();
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').error !== '');
  expect(text(find(page, 'docs__error', 'docs__slot--licence'))).toBe('网络不可用，请检查网络后重试');
  expect(slot(page, 'licence').retryLabel).toBe('重试上传营业执照');
  expect(slot(page, 'licence')).toMatchObject({ progress: -1, uploaded: false });
  expect(h.callsTo('merchant', 'uploadDocument')).toHaveLength(0);

  await tap(find(page, 'docs__retry', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').uploaded);
  expect(cloud.uploads.map((u) => u.filePath)).toEqual([path, path]);
  expect(cloud.uploads[0].failure).toBeDefined();
  expect(h.callsTo('merchant', 'uploadDocument')).toHaveLength(1);
  expect(exists(page, 'docs__error')).toBe(false);
});

test('a dropped call shows its error on the card and Retry recovers', async () => {
  await individualDraft();
  const page = renderPage(documents);
  await loaded(page);
  pickPhoto(PNG);
  h.failNext();
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').error !== '');
  expect(card(page, 'licence')).toContain('网络不可用，请检查网络后重试');
  await tap(find(page, 'docs__retry', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').uploaded);
  expect(h.callsTo('merchant', 'prepareDocumentUpload')).toHaveLength(2);
});

test('what WeChat Pay does not take is refused with the reason on the card, and not offered again as is', async () => {
  await individualDraft();
  const page = renderPage(documents);
  await loaded(page);
  pickPhoto(GIF);
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').error !== '');
  expect(text(find(page, 'docs__error', 'docs__slot--licence'))).toBe('只支持 JPG、PNG 或 BMP 图片');
  expect(slot(page, 'licence').uploaded).toBe(false);
  expect(exists(page, 'docs__retry')).toBe(false);
  // Checked on the server, by content; the refused upload does not stay in storage.
  expect(h.callsTo('merchant', 'uploadDocument')[0].result).toMatchObject({
    ok: false,
    error: { code: 'ONBOARDING.DOCUMENT_TYPE' },
  });
  expect(await h.deps.files.get(cloud.uploads[0].fileID!)).toBeNull();
});

test("a file id from someone else's folder is refused: the function never reads it", async () => {
  await individualDraft();
  // Someone else's photo in storage, and an app changed to upload there instead of where it was told.
  const theirs = `${uploadFolder(buyer)}/licence-theirs.png`;
  const theirFile = await h.deps.files.put(theirs, PNG, 'image/png');
  const api = wx.cloud as unknown as { uploadFile: (o: { cloudPath: string }) => unknown };
  const upload = api.uploadFile;
  api.uploadFile = (o) => upload({ ...o, cloudPath: theirs });
  try {
    const page = renderPage(documents);
    await loaded(page);
    pickPhoto(PNG);
    await tap(find(page, 'docs__choose', 'docs__slot--licence'));
    await waitFor(() => slot(page, 'licence').error !== '');
    expect(text(find(page, 'docs__error', 'docs__slot--licence'))).toBe('没有找到上传的图片，请重新上传');
    expect(exists(page, 'docs__retry')).toBe(true);
  } finally {
    api.uploadFile = upload;
  }
  expect(h.callsTo('merchant', 'uploadDocument')[0]).toMatchObject({
    data: { slot: 'licence', fileId: theirFile.fileId },
    result: { ok: false, error: { code: 'ONBOARDING.UPLOAD_NOT_FOUND' } },
  });
  expect(await h.deps.files.get(theirFile.fileId)).not.toBeNull();
  expect((await ok(merchant<ApplicationView>('getApplication'))).documents.licence).toBeUndefined();
});

test('documents uploaded in an earlier visit can be shown again; a rejected one is pointed at', async () => {
  await individualDraft();
  await uploadAll('INDIVIDUAL');
  const page = renderPage(documents, { field: 'licence' });
  await loaded(page);
  expect(findAll(page, 'docs__slot--focus').map((el) => el.className)).toEqual([
    expect.stringContaining('docs__slot--licence'),
  ]);
  expect(slot(page, 'licence')).toMatchObject({ uploaded: true, preview: '' });
  expect(text(find(page, 'docs__show', 'docs__slot--licence'))).toBe('查看已上传的照片');
  expect(slot(page, 'licence')).toMatchObject({ showLabel: '查看已上传的营业执照', chooseLabel: '重新上传营业执照' });
  await tap(find(page, 'docs__show', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').preview !== '');
  expect(slot(page, 'licence').preview).toBe(`data:image/jpeg;base64,${jpeg('licence').toString('base64')}`);
  expect(slot(page, 'licence').photoLabel).toBe('营业执照照片');
});

test('an authorised administrator adds their ID and the authorisation letter', async () => {
  await choose('ENTERPRISE');
  await saveAll(validSteps('ENTERPRISE'));
  const page = renderPage(documents);
  await loaded(page);
  expect(page.data.slots.map((s: { slot: string }) => s.slot)).toEqual([
    'licence',
    'legalIdFront',
    'legalIdBack',
    'contactIdFront',
    'contactIdBack',
    'authorizationLetter',
  ]);
  expect(findAll(page, 'docs__label').map(text)).toEqual([
    '营业执照',
    '法定代表人证件人像面',
    '法定代表人证件国徽面',
    '超级管理员证件人像面',
    '超级管理员证件国徽面',
    '业务办理授权函',
  ]);
});

test('no application: the empty state; a failed load: the error with retry', async () => {
  const empty = renderPage(documents);
  await waitFor(() => empty.data.loadState === 'empty');
  expect(text(empty)).toContain('还没有进行中的申请');
  await tap(find(empty, 'docs__start'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/intro/index']);

  await individualDraft();
  h.failNext();
  const page = renderPage(documents);
  await waitFor(() => page.data.loadState === 'error');
  expect(text(find(page, 't-result__description'))).toBe('网络不可用，请检查网络后重试');
  await tap(find(page, 't-button', 'load-state__error'));
  await loaded(page);
});

test("one finished upload updates only its own slot: another slot's error stays", async () => {
  await individualDraft();
  const page = renderPage(documents);
  await loaded(page);
  pickPhoto(PNG, 3 * 1024 * 1024);
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').error !== '');
  pickPhoto(PNG);
  await tap(find(page, 'docs__choose', 'docs__slot--legalIdFront'));
  await waitFor(() => slot(page, 'legalIdFront').uploaded);
  expect(slot(page, 'legalIdFront')).toMatchObject({ progress: -1, error: '' });
  expect(slot(page, 'licence').error).toContain('超过了 2MB');
  expect(page.data.slots.map((s: { slot: string }) => s.slot)).toEqual(['licence', 'legalIdFront', 'legalIdBack']);
});

test("a picker that fails says so in words, not with the platform's errMsg", async () => {
  await individualDraft();
  const page = renderPage(documents);
  await loaded(page);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  (wx.chooseMedia as unknown as jest.Mock).mockImplementationOnce((o: { fail: (e: unknown) => void }) =>
    setTimeout(() => o.fail({ errMsg: 'chooseMedia:fail system error 1024' }), 0),
  );
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => (wx.showToast as jest.Mock).mock.calls.length > 0);
  const title = (wx.showToast as jest.Mock).mock.calls[0][0].title as string;
  expect(title).toBe('无法打开相册，请重试');
  expect(title).not.toContain('chooseMedia');
  warn.mockRestore();
});

test('in English: the same page with no Chinese left', async () => {
  speak('en-US');
  await individualDraft();
  const page = renderPage(documents);
  await loaded(page);
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: 'Application' }));
  expect(text(find(page, 'step-bar__title'))).toBe('Documents');
  expect(card(page, 'licence')).toBe('Business licence Required Choose photo');
  const release = cloud.holdUploads();
  pickPhoto(jpeg('licence', 8 * 1024));
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').progress === 50);
  expect(text(find(page, 'docs__stage'))).toBe('Uploading 50%');
  expect(slot(page, 'licence').progressLabel).toBe('Business licence: 50% uploaded');
  expect(text(page)).not.toMatch(/[\u4e00-\u9fff]/);
  release();
  await waitFor(() => slot(page, 'licence').uploaded);
  expect(card(page, 'licence')).toBe('Business licence Uploaded, 8 KB Replace');
  await tap(find(page, 'docs__next'));
  expect(text(find(page, 'docs__submit-error'))).toBe('Upload every required document first');
  expect(text(page)).not.toMatch(/[\u4e00-\u9fff]/);
});
