import { formatPpm } from '../../../miniprogram/utils/rate';

test.each([
  [6000, '0.6%'],
  [3800, '0.38%'],
  [2500, '0.25%'],
  [10000, '1%'],
  [0, '0%'],
  [1, '0.0001%'],
  [1000000, '100%'],
  [12345, '1.2345%'],
])('%i ppm -> %s', (ppm, text) => {
  expect(formatPpm(ppm)).toBe(text);
});

test.each([-1, 0.5, NaN])('refuses %p', (ppm) => {
  expect(() => formatPpm(ppm)).toThrow(RangeError);
});
