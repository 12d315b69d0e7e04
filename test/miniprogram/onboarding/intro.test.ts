// The intro page through the whole stack: page -> services/onboarding ->
// transport -> wx.cloud -> the real merchant function -> SQLite.
import { cells, exists, find, findAll, loadPage, renderPage, speak, tap, text, useHarness, waitFor } from '../harness';
import { choose } from '../../onboarding/support';

const h = useHarness({ as: 'admin' });
const intro = loadPage('packages/onboarding/pages/intro/index');
const loaded = (page: ReturnType<typeof renderPage>) =>
  waitFor(() => page.data.loadState === 'idle' && page.data.intro);

test('loading, then the five types with their documents, the requirements all met, and Start', async () => {
  const page = renderPage(intro);
  expect(exists(page, 't-loading')).toBe(true);
  await loaded(page);
  const types = findAll(page, 'intro__type').map(text);
  expect(types).toHaveLength(5);
  expect(types[0]).toContain('个体工商户');
  expect(types[0]).toContain('所需材料：营业执照、经营者身份证件');
  expect(types[1]).toContain('企业');
  expect(types[1]).toContain('法定代表人身份证件');
  expect(types[2]).toContain('事业单位法人证书');
  expect(types[3]).toContain('政府机关');
  expect(types[4]).toContain('社会组织');
  expect(findAll(page, 'intro__requirement--met')).toHaveLength(5);
  expect(text(find(page, 'intro__requirement--met'))).toContain('仅限境内主体');
  expect(text(page)).toContain('申请微信支付商户号，审核通过后将自动绑定到「Demo Tea Shop」');
  expect(text(page)).toContain('Shenzhen Demo Tea Co., Ltd.（91440300MA5FXT4K8N）');
  expect(text(find(page, 'intro__start'))).toBe('开始申请');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '申请微信支付商户号' }));
  await tap(find(page, 'intro__start'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/type/index']);
  expect(h.callsTo('merchant').map((c) => c.action)).toEqual(['onboardingIntro']);
});

test('an unmet requirement is shown with its reason and no way to start', async () => {
  await h.deps.store.insert('merchants', {
    _id: h.identity.appid,
    appid: h.identity.appid,
    subMchid: '1900000109',
    name: 'Old account',
    feeRatePpm: 10000,
    boundAt: '2025-01-01T00:00:00Z',
  });
  const page = renderPage(intro);
  await loaded(page);
  const unmet = findAll(page, 'intro__requirement--unmet').map(text);
  expect(unmet).toHaveLength(1);
  expect(unmet[0]).toContain('费率不高于 0.6%');
  expect(unmet[0]).toContain('该小程序已绑定的商户号费率为 1%');
  expect(text(find(page, 'intro__merchant'))).toContain('已绑定商户号');
  expect(exists(page, 'intro__start')).toBe(false);
  expect(text(find(page, 'intro__merchant'))).toContain('Old account');
});

test('an existing account declared by the registration record: its rate and connection judged, Start only when both pass', async () => {
  const declare = (feeRatePpm: number, connection: 'DIRECT' | 'INDIRECT') => {
    const { appid } = h.identity;
    h.deps.config.miniPrograms[appid] = {
      ...h.deps.config.miniPrograms[appid],
      existingMerchant: { mchid: '1230000109', feeRatePpm, connection },
    };
  };
  declare(8000, 'INDIRECT');
  let page = renderPage(intro);
  await loaded(page);
  const unmet = findAll(page, 'intro__requirement--unmet').map(text);
  expect(unmet).toHaveLength(2);
  expect(unmet[0]).toContain('该小程序已绑定的商户号费率为 0.8%');
  expect(unmet[1]).toContain('直连');
  expect(exists(page, 'intro__start')).toBe(false);

  declare(6000, 'DIRECT');
  page = renderPage(intro);
  await loaded(page);
  expect(findAll(page, 'intro__requirement--met')).toHaveLength(5);
  expect(text(page)).toContain('该小程序已绑定的商户号费率为 0.6%');
  expect(exists(page, 'intro__start')).toBe(true);
});

test('an application under way is shown instead of Start, and opens its status', async () => {
  await choose('ENTERPRISE');
  const page = renderPage(intro);
  await loaded(page);
  expect(cells(page).find((c) => c.title === '你的申请')?.note).toBe('草稿，尚未提交');
  expect(text(find(page, 'intro__continue'))).toBe('查看申请');
  expect(exists(page, 'intro__start')).toBe(false);
  await tap(find(page, 'intro__continue'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/status/index']);
});

test('a failed load shows the error with retry, and retry loads', async () => {
  h.failNext();
  const page = renderPage(intro);
  await waitFor(() => page.data.loadState === 'error');
  expect(text(find(page, 'load-state__error'))).toContain('网络不可用，请检查网络后重试');
  await tap(find(page, 't-button', 'load-state__error'));
  await loaded(page);
  expect(findAll(page, 'intro__type')).toHaveLength(5);
});

test('a buyer is refused: the error state says why', async () => {
  h.as('buyer');
  const page = renderPage(intro);
  await waitFor(() => page.data.loadState === 'error');
  expect(page.data.errorText).toBe('你没有权限进行该操作');
  expect(text(find(page, 'load-state__error'))).toContain('你没有权限进行该操作');
});

test('in English: the same page with no Chinese left', async () => {
  speak('en-US');
  const page = renderPage(intro);
  await loaded(page);
  const types = findAll(page, 'intro__type').map(text);
  expect(types[0]).toContain('Individual business');
  expect(types[0]).toContain("Documents: Business licence, Operator's ID");
  expect(text(find(page, 'intro__requirement--met'))).toContain('Domestic entities only');
  expect(text(find(page, 'intro__start'))).toBe('Start an application');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: 'Merchant account' }));
  expect(text(page)).not.toMatch(/[\u4e00-\u9fff]/);
});
