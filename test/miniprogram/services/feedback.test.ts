import { confirmAction, setTitle, stopPullDownRefresh, toast } from '../../../miniprogram/services/feedback';

test('toasts: the success icon only for short text, which WeChat would cut', () => {
  toast('Saved', 'success');
  toast('You are now the merchant admin', 'success');
  toast('Network is down');
  expect((wx.showToast as jest.Mock).mock.calls.map(([o]) => [o.title, o.icon])).toEqual([
    ['Saved', 'success'],
    ['You are now the merchant admin', 'none'],
    ['Network is down', 'none'],
  ]);
});

test('confirmAction resolves what the person chose', async () => {
  await expect(confirmAction('Refund ¥12.00?', 'The buyer gets the money back.', 'Refund')).resolves.toBe(true);
  expect(wx.showModal).toHaveBeenCalledWith(
    expect.objectContaining({ title: 'Refund ¥12.00?', confirmText: 'Refund', cancelText: 'Cancel' }),
  );

  (wx.showModal as jest.Mock).mockImplementation((o: { success(r: unknown): void }) =>
    o.success({ confirm: false, cancel: true }),
  );
  await expect(confirmAction('Withdraw?', '...')).resolves.toBe(false);

  (wx.showModal as jest.Mock).mockImplementation((o: { fail(r: unknown): void }) =>
    o.fail({ errMsg: 'showModal:fail' }),
  );
  await expect(confirmAction('Withdraw?', '...')).resolves.toBe(false);
});

test('stopPullDownRefresh', () => {
  stopPullDownRefresh();
  expect(wx.stopPullDownRefresh).toHaveBeenCalledTimes(1);
});

test('setTitle sets the navigation bar title', () => {
  setTitle('All orders');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: 'All orders' }));
});
