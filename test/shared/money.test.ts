import { fenToYuan, formatFen, yuanToFen } from '../../miniprogram/shared/money';

describe('formatFen', () => {
  test.each([
    [12345, '¥123.45'],
    [-5, '-¥0.05'],
    [0, '¥0.00'],
    [1, '¥0.01'],
    [10, '¥0.10'],
    [-100, '-¥1.00'],
    [99999, '¥999.99'],
    [100000, '¥1,000.00'],
    [123456789, '¥1,234,567.89'],
    [-123456789, '-¥1,234,567.89'],
    [Number.MAX_SAFE_INTEGER, '¥90,071,992,547,409.91'],
  ])('%i -> %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  test('sign, grouping and symbol options', () => {
    expect(formatFen(500, { sign: true })).toBe('+¥5.00');
    expect(formatFen(-500, { sign: true })).toBe('-¥5.00');
    expect(formatFen(0, { sign: true })).toBe('¥0.00');
    expect(formatFen(123456789, { grouping: false })).toBe('¥1234567.89');
    expect(formatFen(123456789, { symbol: '' })).toBe('1,234,567.89');
  });

  test.each([0.5, 12.34, NaN, Infinity, Number.MAX_SAFE_INTEGER + 1])('refuses %p: not integer fen', (fen) => {
    expect(() => formatFen(fen)).toThrow(RangeError);
  });
});

describe('fenToYuan', () => {
  test.each([
    [12345, '123.45'],
    [-5, '-0.05'],
    [0, '0.00'],
    [123456789, '1234567.89'],
  ])('%i -> %s', (fen, text) => {
    expect(fenToYuan(fen)).toBe(text);
  });

  test('refuses fractions of a fen', () => {
    expect(() => fenToYuan(1.1)).toThrow(RangeError);
  });
});

describe('yuanToFen', () => {
  test.each([
    ['12', 1200],
    ['12.3', 1230],
    ['12.30', 1230],
    ['0.05', 5],
    ['0.1', 10],
    ['12.', 1200],
    [' 7 ', 700],
    ['0', 0],
    ['1234567.89', 123456789],
    // Where a float would go wrong: 0.29 * 100 = 28.999999999999996
    ['0.29', 29],
    ['1.15', 115],
  ])('%p -> %i', (text, fen) => {
    expect(yuanToFen(text)).toBe(fen);
  });

  test.each(['', ' ', '-1', '1.234', 'abc', '1e3', '1,000', '.5', '+1', '¥1', '99999999999999999'])(
    '%p is not an amount',
    (text) => {
      expect(yuanToFen(text)).toBeNull();
    },
  );

  test('round trips with fenToYuan', () => {
    for (const fen of [0, 1, 9, 10, 99, 100, 101, 29, 115, 123456789]) expect(yuanToFen(fenToYuan(fen))).toBe(fen);
  });
});
