// The one Beijing-time module (miniprogram/shared/beijing.ts), used by the app
// and the server: calendar days, WeChat Pay's formats and the app's display
// formatters, all Beijing time (UTC+08:00) whatever the process's zone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import {
  addDays,
  beijingCompact,
  beijingDate,
  beijingDateTime,
  beijingMidnight,
  beijingMonth,
  beijingToday,
  dayRange,
  daysBetween,
  formatDate,
  formatDateTime,
  isDate,
  parseRfc3339,
  rfc3339,
} from '../../miniprogram/shared/beijing';

describe('instants to Beijing text', () => {
  test('16:00Z is already the next Beijing day', () => {
    expect(beijingDate(new Date('2026-01-05T15:59:59.999Z'))).toBe('2026-01-05');
    expect(beijingDate(new Date('2026-01-05T16:00:00.000Z'))).toBe('2026-01-06');
    expect(beijingDate(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
    expect(beijingDate(new Date('2028-02-28T16:00:00Z'))).toBe('2028-02-29');
  });

  test('date-time, RFC 3339 and compact forms', () => {
    const at = new Date('2026-01-05T16:30:07.250Z');
    expect(beijingDateTime(at)).toBe('2026-01-06 00:30:07');
    expect(rfc3339(at)).toBe('2026-01-06T00:30:07+08:00');
    expect(beijingCompact(at)).toBe('20260106003007');
    expect(beijingDateTime(new Date('2026-01-05T02:00:00Z'))).toBe('2026-01-05 10:00:00');
  });

  test('an invalid Date is refused, not printed as NaN', () => {
    expect(() => beijingDate(new Date('nope'))).toThrow(RangeError);
    expect(() => rfc3339(new Date(Number.NaN))).toThrow(RangeError);
  });

  test('parseRfc3339 wants an offset', () => {
    expect(parseRfc3339('2026-01-05T10:00:00+08:00')?.toISOString()).toBe('2026-01-05T02:00:00.000Z');
    expect(parseRfc3339('2026-01-05T02:00:00.5Z')?.toISOString()).toBe('2026-01-05T02:00:00.500Z');
    expect(parseRfc3339(rfc3339(new Date('2026-03-01T00:00:00Z')))?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseRfc3339('2026-01-05 10:00:00')).toBeNull();
    expect(parseRfc3339('2026-01-05T10:00:00')).toBeNull();
    expect(parseRfc3339('2026-13-05T10:00:00+08:00')).toBeNull();
  });
});

describe('calendar days', () => {
  test('isDate accepts real YYYY-MM-DD dates only', () => {
    for (const d of ['2026-01-05', '2028-02-29', '2000-02-29', '2026-12-31']) expect(isDate(d)).toBe(true);
    for (const d of [
      '2026-02-30',
      '2026-02-29',
      '2100-02-29',
      '2026-1-5',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '',
      '2026-01-05T00:00:00Z',
    ])
      expect(isDate(d)).toBe(false);
  });

  test('beijingMidnight: the instant a Beijing day begins', () => {
    expect(beijingMidnight('2026-01-06').toISOString()).toBe('2026-01-05T16:00:00.000Z');
    expect(beijingMidnight('2026-01-01').toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(beijingMidnight('2028-02-29').toISOString()).toBe('2028-02-28T16:00:00.000Z');
    expect(beijingDate(beijingMidnight('2026-03-01'))).toBe('2026-03-01');
  });

  test.each(['2026-02-30', '2026-1-5', '2026-13-01', 'today', ''])('beijingMidnight(%p) is a RangeError', (bad) => {
    expect(() => beijingMidnight(bad)).toThrow(RangeError);
  });

  test('addDays crosses month ends, year ends and leap days', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-31', 0)).toBe('2026-01-31');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });

  test('daysBetween counts whole calendar days', () => {
    expect(daysBetween('2026-01-01', '2026-01-31')).toBe(30);
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
    expect(daysBetween('2026-01-31', '2026-01-01')).toBe(-30);
    expect(daysBetween('2026-01-05', '2026-01-05')).toBe(0);
    expect(() => daysBetween('2026-01-01', '2026-02-30')).toThrow(RangeError);
  });

  test('dayRange covers Beijing days from..to inclusive', () => {
    expect(dayRange('2026-01-01', '2026-01-31')).toEqual({
      startIso: '2025-12-31T16:00:00.000Z',
      endIso: '2026-01-31T16:00:00.000Z',
    });
    expect(dayRange('2026-01-05', '2026-01-05')).toEqual({
      startIso: '2026-01-04T16:00:00.000Z',
      endIso: '2026-01-05T16:00:00.000Z',
    });
    expect(() => dayRange('2026-01-01', 'soon')).toThrow(RangeError);
  });

  test('beijingToday and beijingMonth follow Beijing, not UTC', () => {
    expect(beijingToday(new Date('2026-01-31T15:59:59Z'))).toBe('2026-01-31');
    expect(beijingToday(new Date('2026-01-31T16:00:00Z'))).toBe('2026-02-01');
    expect(beijingMonth(new Date('2026-01-31T15:59:59Z'))).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(beijingMonth(new Date('2026-01-31T16:00:00Z'))).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(beijingMonth(new Date('2028-02-10T00:00:00Z'))).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(beijingMonth(new Date('2100-02-10T00:00:00Z'))).toEqual({ from: '2100-02-01', to: '2100-02-28' });
    expect(beijingMonth(new Date('2026-04-15T00:00:00Z'))).toEqual({ from: '2026-04-01', to: '2026-04-30' });
    expect(beijingMonth(new Date('2026-12-31T16:00:00Z'))).toEqual({ from: '2027-01-01', to: '2027-01-31' });
    expect(beijingToday()).toBe(beijingDate(new Date()));
  });
});

// Instants whose Beijing date differs from both the UTC and the New York date.
const DISPLAY_CASES: Array<[string, string, string]> = [
  ['2025-11-27T20:30:00.000Z', '2025-11-28', '2025-11-28 04:30'], // UTC 11-27, New York 11-27 15:30
  ['2024-12-31T16:05:00Z', '2025-01-01', '2025-01-01 00:05'], // year end
  ['2028-02-28T17:00:00Z', '2028-02-29', '2028-02-29 01:00'], // leap day
  ['2025-11-27T04:05:06.000Z', '2025-11-27', '2025-11-27 12:05'],
  ['2026-01-05T10:00:00+08:00', '2026-01-05', '2026-01-05 10:00'],
  ['2026-01-05T10:00', '2026-01-05', '2026-01-05 10:00'], // no offset: Beijing wall-clock time, not the phone's
  ['2025-11-27', '2025-11-27', '2025-11-27 08:00'], // a bare date stays that date
];

describe('display formatters (the app)', () => {
  test.each(DISPLAY_CASES)('%s -> %s / %s', (iso, date, dateTime) => {
    expect(formatDate(iso)).toBe(date);
    expect(formatDateTime(iso)).toBe(dateTime);
  });

  test.each(['not a date', '', '2026-02-30T10:00:00Z', '+275760-09-13T00:00:00.000Z'])(
    '%p shows nothing rather than "NaN-NaN-NaN"',
    (iso) => {
      expect(formatDate(iso)).toBe('');
      expect(formatDateTime(iso)).toBe('');
    },
  );

  test('the same text whatever the process time zone', () => {
    // Compile the module as the app ships it and run it in Node processes in other zones.
    const dir = mkdtempSync(join(tmpdir(), 'beijing-'));
    try {
      const source = readFileSync(join(__dirname, '../../miniprogram/shared/beijing.ts'), 'utf8');
      const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2018 },
      }).outputText;
      writeFileSync(join(dir, 'beijing.js'), js);
      const script = `
        const b = require(${JSON.stringify(join(dir, 'beijing.js'))});
        const cases = JSON.parse(process.argv[1]);
        const at = new Date('2025-11-27T20:30:00Z');
        console.log(JSON.stringify({
          localDate: at.getFullYear() + '-' + (at.getMonth() + 1) + '-' + at.getDate(),
          shown: cases.map(([iso]) => [b.formatDate(iso), b.formatDateTime(iso)]),
          today: b.beijingToday(at),
          month: b.beijingMonth(new Date('2026-01-31T16:00:00Z')),
        }));`;
      const expected = DISPLAY_CASES.map(([, date, dateTime]) => [date, dateTime]);
      // New York (UTC-5 here), UTC-12 and UTC+14: both sides of Beijing, across the date line.
      for (const [zone, localDate] of [
        ['America/New_York', '2025-11-27'],
        ['Etc/GMT+12', '2025-11-27'],
        ['Pacific/Kiritimati', '2025-11-28'],
      ]) {
        const run = spawnSync(process.execPath, ['-e', script, JSON.stringify(DISPLAY_CASES)], {
          env: { ...process.env, TZ: zone },
          encoding: 'utf8',
        });
        expect(run.stderr).toBe('');
        const out = JSON.parse(run.stdout);
        // The zone really applied: the child's own local date is the zone's.
        expect(out.localDate).toBe(localDate);
        expect(out.shown).toEqual(expected);
        expect(out.today).toBe('2025-11-28');
        expect(out.month).toEqual({ from: '2026-02-01', to: '2026-02-28' });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
