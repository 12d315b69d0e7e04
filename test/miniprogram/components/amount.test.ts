// The shared amount component: integer fen in, yuan text out.
import { exists, find, loadComponent, renderHost, text } from '../harness';

const amount = loadComponent('components/amount/index');

function host(data: Record<string, unknown>) {
  const comp = renderHost(
    '<amount id="a" fen="{{fen}}" sign="{{sign}}" size="{{size}}" />',
    { amount },
    { sign: false, size: 'medium', ...data },
  );
  return { comp, inner: () => comp.querySelector('#a')! };
}

test.each([
  [12345, '¥123.45'],
  [-5, '-¥0.05'],
  [0, '¥0.00'],
  [100, '¥1.00'],
  [123456789, '¥1,234,567.89'],
])('%i fen shows as %s', (fen, shown) => {
  const { comp, inner } = host({ fen });
  expect(inner().data.text).toBe(shown);
  expect(text(comp)).toBe(shown);
});

test('a sign for movements, and a class for negatives', () => {
  const { comp, inner } = host({ fen: 100, sign: true });
  expect(text(comp)).toBe('+¥1.00');
  expect(exists(comp, 'amount--negative')).toBe(false);
  comp.setData({ fen: -100 });
  expect(inner().data).toMatchObject({ text: '-¥1.00', negative: true });
  expect(exists(comp, 'amount--negative')).toBe(true);
});

test('follows changes of the bound amount', () => {
  const { comp } = host({ fen: 1 });
  expect(text(comp)).toBe('¥0.01');
  comp.setData({ fen: 999999 });
  expect(text(comp)).toBe('¥9,999.99');
  expect(exists(comp, 'amount--medium')).toBe(true);
  comp.setData({ size: 'large' });
  expect(exists(comp, 'amount--large')).toBe(true);
});

test('a non-integer amount (a bug upstream) shows a dash instead of breaking the page', () => {
  const { comp } = host({ fen: 1.5 });
  expect(text(find(comp, 'amount'))).toBe('—');
});
