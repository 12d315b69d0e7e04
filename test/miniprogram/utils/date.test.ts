import { formatDate, formatDateTime } from '../../../miniprogram/utils/date';

test('dates show in the phone’s own time zone', () => {
  // Built from local fields so the test holds in any time zone.
  const iso = new Date(2025, 0, 5, 9, 7).toISOString();
  expect(formatDate(iso)).toBe('2025-01-05');
  expect(formatDateTime(iso)).toBe('2025-01-05 09:07');
  expect(formatDate(new Date(2024, 11, 31, 23, 59).toISOString())).toBe('2024-12-31');
});

test('unparsable input shows nothing rather than "NaN-NaN-NaN"', () => {
  expect(formatDate('not a date')).toBe('');
  expect(formatDateTime('')).toBe('');
});
