import { confirmAction, setTitle, stopPullDownRefresh, textWidth, toast } from '../../../miniprogram/services/feedback';
import { speak } from '../harness';
import { displayWidth, limitsBroken, violationsIn } from '../support/wx-limits';

test('toasts: the success icon only for text WeChat shows whole beside it (7 Chinese characters)', () => {
  toast('已保存', 'success');
  toast('你已成为商户管理员', 'success');
  toast('Saved', 'success');
  toast('You are now the merchant admin', 'success');
  toast('网络不可用');
  expect((wx.showToast as jest.Mock).mock.calls.map(([o]) => [o.title, o.icon])).toEqual([
    ['已保存', 'success'],
    ['你已成为商户管理员', 'none'],
    ['Saved', 'success'],
    ['You are now the merchant admin', 'none'],
    ['网络不可用', 'none'],
  ]);
});

test("the app's width and the double's agree: Chinese characters count 1, Latin letters 1/2", () => {
  for (const text of ['取消', 'Cancel', '确认退款', 'Confirmar', '¥1,234.56', '全角，标点']) {
    expect(textWidth(text)).toBe(displayWidth(text));
  }
  expect(displayWidth('确认退款')).toBe(4);
  expect(displayWidth('Confirmar')).toBe(4.5);
});

test('confirmAction asks in the user language, with buttons WeChat accepts', async () => {
  await expect(confirmAction('退款 ¥12.00？', '款项将原路退回给买家。', '退款')).resolves.toBe(true);
  expect(wx.showModal).toHaveBeenCalledWith(
    expect.objectContaining({ title: '退款 ¥12.00？', confirmText: '退款', cancelText: '取消' }),
  );

  speak('en-US');
  await confirmAction('Withdraw?', '...');
  expect((wx.showModal as jest.Mock).mock.calls[1][0]).toMatchObject({ confirmText: 'OK', cancelText: 'Cancel' });

  (wx.showModal as jest.Mock).mockImplementation((o: { success(r: unknown): void }) =>
    o.success({ confirm: false, cancel: true }),
  );
  await expect(confirmAction('提现？', '...')).resolves.toBe(false);

  (wx.showModal as jest.Mock).mockImplementation((o: { fail(r: unknown): void }) =>
    o.fail({ errMsg: 'showModal:fail' }),
  );
  await expect(confirmAction('提现？', '...')).resolves.toBe(false);
});

describe('the wx double refuses what WeChat would (support/wx-limits.ts), whatever a test made the mock do', () => {
  test('modal buttons wider than 4 Chinese characters', () => {
    expect(limitsBroken('showModal', { confirmText: '确认退款', cancelText: 'Cancel' })).toEqual([]);
    expect(limitsBroken('showModal', { confirmText: 'Confirm refund' })).toEqual([
      'wx.showModal confirmText "Confirm refund" is wider than 4 Chinese characters',
    ]);
    expect(limitsBroken('showModal', { cancelText: '暂不切换语言' })).toHaveLength(1);
  });

  test('toast titles: 7 with an icon, two lines without', () => {
    expect(limitsBroken('showToast', { title: '已成为商户管理员', icon: 'success' })).toHaveLength(1);
    expect(limitsBroken('showToast', { title: '已成为管理员', icon: 'success' })).toEqual([]);
    expect(limitsBroken('showToast', { title: '设'.repeat(28), icon: 'none' })).toEqual([]);
    expect(limitsBroken('showToast', { title: '设'.repeat(29), icon: 'none' })).toHaveLength(1);
    // WeChat's default icon is success.
    expect(limitsBroken('showToast', { title: 'Withdrawal requested' })).toHaveLength(1);
  });

  test('action sheets: 1 to 6 items', () => {
    expect(limitsBroken('showActionSheet', { itemList: ['a', 'b', 'c', 'd', 'e', 'f'] })).toEqual([]);
    expect(limitsBroken('showActionSheet', { itemList: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] })).toHaveLength(1);
  });

  test('violations are read from the recorded calls, even through a replaced implementation', () => {
    (wx.showModal as jest.Mock).mockImplementation(() => undefined);
    wx.showModal({ title: 'x', content: 'y', confirmText: 'Withdraw now' });
    expect(violationsIn(wx as unknown as Record<string, unknown>)).toEqual([
      'wx.showModal confirmText "Withdraw now" is wider than 4 Chinese characters',
    ]);
    // Cleared so that this test, which broke the limit on purpose, does not fail in afterEach.
    (wx.showModal as jest.Mock).mockClear();
  });
});

test('stopPullDownRefresh', () => {
  stopPullDownRefresh();
  expect(wx.stopPullDownRefresh).toHaveBeenCalledTimes(1);
});

test('setTitle sets the navigation bar title', () => {
  setTitle('全部订单');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '全部订单' }));
});
