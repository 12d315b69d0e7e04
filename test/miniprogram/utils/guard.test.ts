import { guarded } from '../../../miniprogram/utils/guard';

function host() {
  const h = {
    data: {} as Record<string, unknown>,
    setData(patch: Record<string, unknown>) {
      Object.assign(h.data, patch);
    },
  };
  return h;
}

test('a second call while the first runs does not run, and the flag is cleared after', async () => {
  const h = host();
  let finish!: (v: string) => void;
  const task = jest.fn(() => new Promise<string>((resolve) => (finish = resolve)));

  const first = guarded(h, 'submitting', task);
  expect(h.data.submitting).toBe(true);
  await expect(guarded(h, 'submitting', task)).resolves.toBeUndefined();
  expect(task).toHaveBeenCalledTimes(1);

  finish('done');
  await expect(first).resolves.toBe('done');
  expect(h.data.submitting).toBe(false);
  await guarded(h, 'submitting', async () => 'again');
  expect(task).toHaveBeenCalledTimes(1);
});

test('a failing task clears the flag and rethrows', async () => {
  const h = host();
  await expect(
    guarded(h, 'busy', async () => {
      throw new Error('nope');
    }),
  ).rejects.toThrow('nope');
  expect(h.data.busy).toBe(false);
});
