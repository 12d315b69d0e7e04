// The home page through the whole stack: page -> services -> transport ->
// wx.cloud -> the real merchant function -> SQLite.
import { main as merchant } from '../../../cloudfunctions/merchant';
import { ADMIN_OPENID, BUYER_OPENID, buyer, call, openForClaim } from '../../support/deps';
import {
  cell,
  cells,
  exists,
  find,
  loadPage,
  renderPage,
  showPage,
  speak,
  tap,
  text,
  typeInto,
  useHarness,
  waitFor,
} from '../harness';

const h = useHarness();
const home = loadPage('pages/home/index');

const loaded = (page: ReturnType<typeof renderPage>) => waitFor(() => page.data.loadState === 'idle' && page.data.view);

async function bindMerchant(): Promise<void> {
  await h.deps.store.insert('merchants', {
    _id: h.identity.appid,
    appid: h.identity.appid,
    subMchid: '1900012345',
    name: 'Shenzhen Demo Tea Co., Ltd.',
    feeRatePpm: 6000,
    boundAt: '2025-03-14T12:00:00.000Z',
  });
}

describe('a buyer', () => {
  test('sees the loading state first, then the mini program as it is', async () => {
    const page = renderPage(home);
    expect(page.data.loadState).toBe('loading');
    expect(exists(page, 't-loading')).toBe(true);
    expect(text(find(page, 't-loading'))).toContain('加载中');

    await loaded(page);
    expect(exists(page, 't-loading')).toBe(false);
    expect(cell(page, 'Demo Tea Shop').note).toBe('买家');
    expect(text(find(page, 'home__role'))).toBe('买家');
    expect(cell(page, '尚未绑定商户号').description).toBe('该小程序暂时无法收款');
    expect(exists(page, 'home__apply-button')).toBe(false);
    expect(cells(page).map((c) => c.title)).toEqual([
      'Demo Tea Shop',
      '尚未绑定商户号',
      '商城',
      '我是该小程序的管理员',
      '语言',
    ]);

    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatchObject({ name: 'merchant', action: 'getStatus', identity: { openid: BUYER_OPENID } });
    expect(h.calls[0].result).toMatchObject({ ok: true, data: { role: 'buyer', merchant: null, application: null } });
  });

  test('opens the shop', async () => {
    const page = renderPage(home);
    await loaded(page);
    await tap(find(page, 'home__entry--shop'));
    expect(h.navigations()).toEqual(['/packages/checkout/pages/products/index']);
  });

  test('sees a bound merchant account too, masked, but not the funds', async () => {
    await bindMerchant();
    const page = renderPage(home);
    await loaded(page);
    expect(cell(page, '商户号').note).toBe('19******45');
    expect(cells(find(page, 'home__entries')).map((c) => c.title)).toEqual(['商城', '我是该小程序的管理员', '语言']);
  });
});

describe('the merchant admin', () => {
  beforeEach(() => h.as('admin'));

  test('without a merchant account is offered to apply', async () => {
    const page = renderPage(home);
    await loaded(page);
    expect(text(find(page, 'home__role'))).toBe('商户管理员');
    expect(cell(page, '尚未绑定商户号').description).toBe('申请微信支付商户号后即可在小程序内收款');
    expect(exists(page, 'home__claim')).toBe(false);

    await tap(find(page, 'home__apply-button'));
    expect(h.navigations()).toEqual(['/packages/onboarding/pages/intro/index']);
  });

  test('with a bound account sees it masked, its fee rate as a percentage, and the funds entry', async () => {
    await bindMerchant();
    const page = renderPage(home);
    await loaded(page);

    expect(cell(page, '商户号').note).toBe('19******45');
    expect(text(page)).not.toContain('1900012345');
    expect(cell(page, '商户名称').note).toBe('Shenzhen Demo Tea Co., Ltd.');
    expect(cell(page, '费率').note).toBe('0.6%');
    expect(cell(page, '绑定日期').note).toBe('2025-03-14');
    expect(exists(page, 'home__apply-button')).toBe(false);
    expect(exists(page, 'home__no-merchant')).toBe(false);

    await tap(find(page, 'home__entry--funds'));
    expect(h.navigations()).toEqual(['/packages/funds/pages/dashboard/index']);
  });

  test('with an application under review follows it instead of applying again', async () => {
    const now = '2025-03-10T02:00:00.000Z';
    await h.deps.store.insert('applications', {
      _id: 'app_0001',
      appid: h.identity.appid,
      state: 'AUDITING',
      createdAt: now,
      updatedAt: now,
    });
    const page = renderPage(home);
    await loaded(page);

    expect(cell(page, '申请单').note).toBe('审核中');
    expect(exists(page, 'home__apply-button')).toBe(false);
    await tap(find(page, 'home__application'));
    expect(h.navigations()).toEqual(['/packages/onboarding/pages/intro/index']);
  });

  test('a canceled application leaves the way to apply open', async () => {
    const now = '2025-03-10T02:00:00.000Z';
    await h.deps.store.insert('applications', {
      _id: 'app_0002',
      appid: h.identity.appid,
      state: 'CANCELED',
      createdAt: now,
      updatedAt: now,
    });
    const page = renderPage(home);
    await loaded(page);
    expect(exists(page, 'home__application')).toBe(false);
    expect(exists(page, 'home__apply-button')).toBe(true);
  });

  test('coming back to the page refreshes it in place', async () => {
    const page = renderPage(home);
    await loaded(page);
    expect(exists(page, 'home__apply-button')).toBe(true);

    await bindMerchant();
    const release = h.hold();
    showPage(page);
    await waitFor(() => h.callsTo('merchant', 'getStatus').length === 2);
    // Still showing the old content while the refresh is in flight: no loading flash.
    expect(page.data.loadState).toBe('idle');
    expect(exists(page, 't-loading')).toBe(false);
    release();
    await waitFor(() => exists(page, 'home__mchid'));
    expect(exists(page, 'home__apply-button')).toBe(false);
  });

  test('a failed refresh keeps the content and says why', async () => {
    const page = renderPage(home);
    await loaded(page);
    h.failNext();
    showPage(page);
    await waitFor(() => (wx.showToast as jest.Mock).mock.calls.length === 1);
    expect((wx.showToast as jest.Mock).mock.calls[0][0].title).toBe('网络不可用，请检查网络后重试');
    expect(page.data.loadState).toBe('idle');
    expect(exists(page, 'home__apply-button')).toBe(true);
  });

  test('pull-down refresh reloads and stops the spinner', async () => {
    const page = renderPage(home);
    await loaded(page);
    await bindMerchant();
    await (page.instance as unknown as { onPullDownRefresh(): Promise<void> }).onPullDownRefresh();
    expect(exists(page, 'home__mchid')).toBe(true);
    expect(wx.stopPullDownRefresh).toHaveBeenCalledTimes(1);
  });
});

describe('when the service cannot be reached', () => {
  test('shows the error with a retry that loads the page', async () => {
    h.failNext();
    const page = renderPage(home);
    await waitFor(() => page.data.loadState === 'error');

    expect(exists(page, 't-result')).toBe(true);
    expect(text(find(page, 't-result'))).toContain('加载失败');
    expect(text(find(page, 't-result__description'))).toBe('网络不可用，请检查网络后重试');
    expect(text(find(page, 't-button', 'load-state__error'))).toBe('重试');
    expect(page.data.view).toBeNull();
    expect(h.calls[0].failure).toMatch(/timeout/);

    await tap(find(page, 't-button', 'load-state__error'));
    await loaded(page);
    expect(exists(page, 't-result')).toBe(false);
    expect(cell(page, 'Demo Tea Shop').note).toBe('买家');
    expect(h.callsTo('merchant', 'getStatus')).toHaveLength(2);
  });

  test("an error from the backend is worded by its code, not the server's text", async () => {
    h.as({ openid: 'o_someone', appid: 'wx_not_registered_here' });
    const page = renderPage(home);
    await waitFor(() => page.data.loadState === 'error');
    expect(h.calls[0].result).toMatchObject({ ok: false, error: { code: 'CONFIG.UNKNOWN_MINI_PROGRAM' } });
    expect(text(find(page, 't-result__description'))).toBe('该小程序尚未开通支付管理');
  });
});

describe('claiming the merchant admin role', () => {
  // The demo registration without configured admins: its setup code (246810) can be claimed.
  beforeEach(() => openForClaim(h.deps));

  async function openClaim() {
    const page = renderPage(home);
    await loaded(page);
    await tap(find(page, 'home__claim'));
    await waitFor(() => exists(page, 'home__claim-dialog'));
    return page;
  }

  test('with the setup code makes the buyer the admin', async () => {
    const page = await openClaim();
    expect(text(find(page, 'home__claim-dialog'))).toContain('认领商户管理员');

    await typeInto(page, 'home__claim-input', '246810');
    expect(page.data.claimCode).toBe('246810');
    await tap(find(page, 'home__claim-confirm'));
    await waitFor(() => text(find(page, 'home__role')) === '商户管理员');

    expect(page.data.claimVisible).toBe(false);
    expect(exists(page, 'home__apply-button')).toBe(true);
    expect(exists(page, 'home__claim')).toBe(false);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '你已成为商户管理员' }));
    expect(await h.deps.store.get('admins', h.identity.appid)).toMatchObject({ openid: BUYER_OPENID });
    expect(h.calls.map((c) => c.action)).toEqual(['getStatus', 'claimAdmin', 'getStatus']);
    expect(h.callsTo('merchant', 'claimAdmin')[0].data).toEqual({ code: '246810' });
  });

  test('asks for the code before calling, and shows a wrong code inline', async () => {
    const page = await openClaim();
    await tap(find(page, 'home__claim-confirm'));
    expect(page.data.claimError).toBe('请输入设置码');
    expect(text(find(page, 'home__claim-input'))).toContain('请输入设置码');
    expect(h.callsTo('merchant', 'claimAdmin')).toHaveLength(0);
    // Shorter than the backend accepts (4+): refused here, no call.
    await typeInto(page, 'home__claim-input', '246');
    await tap(find(page, 'home__claim-confirm'));
    expect(page.data.claimError).toBe('设置码至少 4 位');
    expect(h.callsTo('merchant', 'claimAdmin')).toHaveLength(0);

    await typeInto(page, 'home__claim-input', '000000');
    expect(page.data.claimError).toBe('');
    await tap(find(page, 'home__claim-confirm'));
    await waitFor(() => page.data.claimError !== '');
    expect(h.callsTo('merchant', 'claimAdmin')[0].result).toMatchObject({
      ok: false,
      error: { code: 'AUTH.SETUP_CODE_INVALID' },
    });
    expect(text(find(page, 'home__claim-input'))).toContain('设置码不正确');
    expect(page.data.claimVisible).toBe(true);
    expect(text(find(page, 'home__role'))).toBe('买家');
    expect(await h.deps.store.get('admins', h.identity.appid)).toBeNull();
  });

  test('cannot take a role someone already claimed', async () => {
    await h.deps.store.insert('admins', {
      _id: h.identity.appid,
      appid: h.identity.appid,
      openid: 'o_first_claimer',
      claimedAt: '2025-01-01T00:00:00.000Z',
    });
    const page = await openClaim();
    await typeInto(page, 'home__claim-input', '246810');
    await tap(find(page, 'home__claim-confirm'));
    await waitFor(() => page.data.claimError !== '');
    expect(page.data.claimError).toBe('该小程序已有管理员');
  });

  test('a double tap claims once', async () => {
    const page = await openClaim();
    await typeInto(page, 'home__claim-input', '246810');
    const release = h.hold();
    await tap(find(page, 'home__claim-confirm'));
    await tap(find(page, 'home__claim-confirm'));
    expect(page.data.claiming).toBe(true);
    release();
    await waitFor(() => page.data.view?.isAdmin === true);
    expect(h.callsTo('merchant', 'claimAdmin')).toHaveLength(1);
    expect(page.data.claiming).toBe(false);
  });

  test('cancel closes the dialog without calling', async () => {
    const page = await openClaim();
    await typeInto(page, 'home__claim-input', '246810');
    await tap(find(page, 'home__claim-cancel'));
    expect(page.data.claimVisible).toBe(false);
    expect(h.callsTo('merchant', 'claimAdmin')).toHaveLength(0);
  });

  test('too many attempts: the lockout says until when, even for the right code', async () => {
    // Five wrong codes from this buyer already (the per-caller limit), 02:00Z: locked until 02:15Z = 10:15 Beijing.
    for (let i = 0; i < 5; i++) await call(merchant, buyer, 'claimAdmin', { code: `wrong-${i}` });
    const page = await openClaim();
    await typeInto(page, 'home__claim-input', '246810');
    await tap(find(page, 'home__claim-confirm'));
    await waitFor(() => page.data.claimError !== '');

    expect(h.callsTo('merchant', 'claimAdmin')[0].result).toMatchObject({
      ok: false,
      error: { code: 'AUTH.CLAIM_LOCKED', details: { retryAt: '2026-01-05T02:15:00.000Z' } },
    });
    expect(page.data.claimError).toBe('尝试次数过多，请在 2026-01-05 10:15（北京时间）后重试');
    expect(text(find(page, 'home__claim-input'))).toContain('2026-01-05 10:15（北京时间）');
    expect(page.data.claimVisible).toBe(true);
    expect(page.data.claiming).toBe(false);
    expect(text(find(page, 'home__role'))).toBe('买家');

    // Once the window has passed, the same code works.
    h.deps.clock.advance(15 * 60_000);
    await tap(find(page, 'home__claim-confirm'));
    await waitFor(() => text(find(page, 'home__role')) === '商户管理员');
  });

  test('a registration that lists admins refuses the claim and says why', async () => {
    h.deps.config.miniPrograms[h.identity.appid].admins = [ADMIN_OPENID];
    const page = await openClaim();
    await typeInto(page, 'home__claim-input', '246810');
    await tap(find(page, 'home__claim-confirm'));
    await waitFor(() => page.data.claimError !== '');
    expect(page.data.claimError).toBe('该小程序的管理员已在配置中指定，不能用设置码认领');
    expect(await h.deps.store.get('admins', h.identity.appid)).toBeNull();
  });

  test('the admin by configuration is not offered the claim', async () => {
    h.deps.config.miniPrograms[h.identity.appid].admins = [ADMIN_OPENID];
    h.as('admin');
    const page = renderPage(home);
    await loaded(page);
    expect(exists(page, 'home__claim')).toBe(false);
    expect(h.calls[0].identity.openid).toBe(ADMIN_OPENID);
  });
});

describe('language', () => {
  test('an English WeChat client reads the page in English, with no Chinese left', async () => {
    speak('en-US');
    h.as('admin');
    const page = renderPage(home);
    expect(text(find(page, 't-loading'))).toBe('Loading…');
    await loaded(page);
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: 'Payments' }));
    expect(cell(page, 'No merchant account yet').description).toBe(
      'Apply for a WeChat Pay merchant account to take payments here.',
    );
    expect(text(find(page, 'home__apply-button'))).toBe('Apply');
    // The language row names Chinese in Chinese: the one CJK text an English page keeps on purpose.
    expect(text(page).replace('简体中文', '')).not.toMatch(/[\u3400-\u9fff\uff00-\uffef]/);
  });

  test('a Chinese client reads Chinese, titled 支付管理', async () => {
    const page = renderPage(home);
    await loaded(page);
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '支付管理' }));
    expect(cell(page, '语言').note).toBe('简体中文');
  });

  test('the switch keeps the choice and rebuilds every page in it', async () => {
    const storage = new Map<string, unknown>();
    (wx.setStorageSync as jest.Mock).mockImplementation((key: string, value: unknown) => storage.set(key, value));
    (wx.getStorageSync as jest.Mock).mockImplementation((key: string) => storage.get(key) ?? '');
    (wx.showActionSheet as jest.Mock).mockImplementation((o: { success(r: { tapIndex: number }): void }) =>
      o.success({ tapIndex: 1 }),
    );
    const page = renderPage(home);
    await loaded(page);
    await tap(find(page, 'home__language'));

    expect((wx.showActionSheet as jest.Mock).mock.calls[0][0]).toMatchObject({
      alertText: '选择语言',
      itemList: ['简体中文', 'English'],
    });
    expect(storage.get('pms.lang')).toBe('en-US');
    expect(wx.reLaunch).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/home/index' }));

    // The next page built reads English although the client is Chinese.
    const again = renderPage(home);
    await loaded(again);
    expect(cell(again, 'Language').note).toBe('English');
  });

  test('choosing the language already in use changes nothing', async () => {
    (wx.showActionSheet as jest.Mock).mockImplementation((o: { success(r: { tapIndex: number }): void }) =>
      o.success({ tapIndex: 0 }),
    );
    const page = renderPage(home);
    await loaded(page);
    await tap(find(page, 'home__language'));
    expect(wx.setStorageSync).not.toHaveBeenCalled();
    expect(wx.reLaunch).not.toHaveBeenCalled();
  });
});
