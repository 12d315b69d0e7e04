// The shared load-state component as a page uses it: state and texts bound
// from the host, retry bound to a host method.
import { exists, find, loadComponent, renderHost, speak, tap, text } from '../harness';

const loadState = loadComponent('components/load-state/index');

function host(data: Record<string, unknown>) {
  const onRetry = jest.fn();
  const comp = renderHost(
    '<load-state id="ls" state="{{state}}" error-text="{{errorText}}" empty-text="{{emptyText}}" bind:retry="onRetry" />',
    { 'load-state': loadState },
    { errorText: '', emptyText: '', ...data },
    { onRetry },
  );
  return { comp, onRetry, inner: () => comp.querySelector('#ls')! };
}

test('idle renders nothing', () => {
  const { comp, inner } = host({ state: 'idle' });
  expect(inner().data.state).toBe('idle');
  expect(exists(comp, 'load-state')).toBe(false);
  expect(text(comp)).toBe('');
});

test('loading shows a tdesign spinner with its text', () => {
  const { comp } = host({ state: 'loading' });
  expect(exists(comp, 'load-state--loading')).toBe(true);
  expect(exists(comp, 't-loading__spinner')).toBe(true);
  expect(text(find(comp, 't-loading'))).toBe('加载中…');
});

test('empty and no-more show their (overridable) texts', () => {
  const { comp, inner } = host({ state: 'empty' });
  expect(text(find(comp, 't-empty__description'))).toBe('暂无内容');
  comp.setData({ emptyText: '该时间段内没有交易' });
  expect(exists(comp, 't-empty')).toBe(true);
  expect(text(find(comp, 't-empty__description'))).toBe('该时间段内没有交易');

  comp.setData({ state: 'noMore' });
  expect(inner().data.state).toBe('noMore');
  expect(exists(comp, 't-empty')).toBe(false);
  expect(text(find(comp, 't-divider'))).toBe('没有更多了');
});

test('error shows the message and a retry that fires `retry`', async () => {
  const { comp, onRetry } = host({ state: 'error', errorText: '网络不可用，请检查网络后重试' });
  expect(text(find(comp, 't-result__title'))).toBe('加载失败');
  expect(text(find(comp, 't-result__description'))).toBe('网络不可用，请检查网络后重试');
  expect(text(find(comp, 't-button'))).toBe('重试');

  await tap(find(comp, 't-button'));
  expect(onRetry).toHaveBeenCalledTimes(1);
});

test('moving between states replaces what is shown', () => {
  const { comp } = host({ state: 'loading' });
  comp.setData({ state: 'error', errorText: 'Boom' });
  expect(exists(comp, 't-loading')).toBe(false);
  expect(exists(comp, 't-result')).toBe(true);
  comp.setData({ state: 'idle' });
  expect(exists(comp, 't-result')).toBe(false);
  expect(text(comp)).toBe('');
});

test('an English client gets English texts', () => {
  speak('en-US');
  const { comp } = host({ state: 'error', errorText: 'Offline' });
  expect(text(find(comp, 't-result__title'))).toBe("Couldn't load this");
  expect(text(find(comp, 't-button'))).toBe('Try again');
  comp.setData({ state: 'loading' });
  expect(text(find(comp, 't-loading'))).toBe('Loading…');
});
