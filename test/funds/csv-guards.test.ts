// CSV formula defusing in the transaction export (core/domain/funds/csv.ts):
// a cell that starts with `=`, `+`, `@`, a tab, a CR, or a `-` that is not a
// plain negative number would be evaluated as a formula by Excel or WPS, so it
// gets a leading apostrophe (and quotes where RFC 4180 needs them). Plain
// negative amounts stay numbers, and a formula character later in a cell is
// harmless and left alone.
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { paymentEntry } from '../../cloudfunctions/core/domain/ledger';
import { BOM, csvField, transactionsCsv } from '../../cloudfunctions/core/domain/funds/csv';
import type { TransactionRow } from '../../cloudfunctions/core/domain/funds/transactions';
import { post } from '../../cloudfunctions/core/ledger/book';
import { main } from '../../cloudfunctions/funds';
import type { ExportFile } from '../../typings/funds';
import { admin, call, ok, type TestDeps, testDeps } from '../support/deps';
import { bindMerchant } from './support';

describe('csvField', () => {
  test.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['+cmd|calc', "'+cmd|calc"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1+1', "'\t=1+1"],
    ['-cmd|calc', "'-cmd|calc"],
    ['-1+1', "'-1+1"],
    ['-', "'-"],
    ['-1.', "'-1."],
    ['--1', "'--1"],
  ])('%j starts a formula: defused as %j', (value, cell) => {
    expect(csvField(value)).toBe(cell);
  });

  test('a CR first is defused and, being a line break, quoted', () => {
    expect(csvField('\r=1+1')).toBe(`"'\r=1+1"`);
    expect(csvField('\rplain')).toBe(`"'\rplain"`);
  });

  test('a defused cell that also needs quoting is quoted around the apostrophe, quotes doubled', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('@a,b')).toBe(`"'@a,b"`);
  });

  test.each([
    ['-12.50'],
    ['-0.60'],
    ['-3'],
    ['0.00'],
    ['100.00'],
    ['a=b'],
    ['tea+milk'],
    ['x@y'],
    ['2026-01-05 10:00:00'],
    ['payment:O1'],
    [''],
  ])('%j is not a formula: left as it is', (value) => {
    expect(csvField(value)).toBe(value);
  });

  test('plain cells that need quoting are quoted, not defused', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });
});

test('in English too: the words change, the defusing does not', () => {
  const row: TransactionRow = {
    id: 'refund:+1#fee',
    entryId: 'refund:+1',
    type: 'fee',
    amountFen: 18,
    changes: { pendingFen: 18, availableFen: 0, withdrawingFen: 0 },
    at: '2026-01-05T04:00:00.000Z',
    orderId: '@x',
    refundId: '+1',
  };
  const csv = transactionsCsv([row], 'en-US');
  expect(csv.startsWith(`${BOM}Time (Beijing),Type,Amount (CNY),`)).toBe(true);
  expect(csv.slice(1).split('\r\n')[1]).toBe("2026-01-05 12:00:00,Fee,0.18,0.18,0.00,0.00,'@x,'+1,,refund:+1");
});

test('the export defuses formula ids and keeps negative amounts as numbers', () => {
  const row: TransactionRow = {
    id: 'payment:=1+1#fee',
    entryId: 'payment:=1+1',
    type: 'fee',
    amountFen: -6,
    changes: { pendingFen: -6, availableFen: 0, withdrawingFen: 0 },
    at: '2026-01-05T02:00:00.000Z',
    orderId: '=1+1',
    refundId: '@cmd',
    withdrawalId: '-x',
  };
  const csv = transactionsCsv([row]);
  expect(csv.startsWith(BOM)).toBe(true);
  const [, line] = csv.slice(1).split('\r\n');
  expect(line.split(',')).toEqual([
    '2026-01-05 10:00:00',
    '手续费',
    '-0.06',
    '-0.06',
    '0.00',
    '0.00',
    "'=1+1",
    "'@cmd",
    "'-x",
    'payment:=1+1',
  ]);
});

describe('through the funds function', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await testDeps();
    await bindMerchant(deps);
  });
  afterEach(() => deps.close());

  test('an order number that looks like a formula reaches the file defused', async () => {
    await post(
      deps.store,
      paymentEntry(DEMO_APPID, '=HYPERLINK("http://evil")', 1000, 6),
      new Date('2026-01-05T02:00:00Z'),
    );
    const file = await ok(
      call<ExportFile>(main, admin, 'exportTransactions', { from: '2026-01-05', to: '2026-01-05' }),
    );
    expect(file.rows).toBe(2);
    const lines = file.content.slice(1).split('\r\n');
    expect(lines[1]).toBe(
      `2026-01-05 10:00:00,收款,10.00,10.00,0.00,0.00,"'=HYPERLINK(""http://evil"")",,,"payment:=HYPERLINK(""http://evil"")"`,
    );
    expect(lines[2]).toContain(`,手续费,-0.06,-0.06,0.00,0.00,"'=HYPERLINK(`);
  });
});
