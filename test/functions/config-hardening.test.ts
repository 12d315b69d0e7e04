// Registration records (PMS_MINI_PROGRAMS) are checked with a schema when the
// configuration loads, in both modes: a clear error naming the record (index
// and appid) and the field; documented defaults (admins [], thirdPartyPlatform
// false, orderPayment false); entity.domestic required; unknown fields refused; the setup-code
// rules unchanged. The README's example record list must load.
import fs from 'node:fs';
import path from 'node:path';
import { main as merchant } from '../../cloudfunctions/merchant';
import {
  ConfigError,
  DEMO_APPID,
  loadConfig,
  parseMiniPrograms,
  type MiniProgramRecord,
} from '../../cloudfunctions/core/config';
import type { MerchantStatus } from '../../typings/api';
import { call, ok, testDeps, type TestDeps } from '../support/deps';

const ENTITY = { name: 'Shenzhen Demo Tea Co., Ltd.', creditCode: '91440300MA5FXT4K8N', domestic: true };
const STRONG = 'q3xY-7_kZr0bN5aVt2LmWe';

const load = (records: unknown, mode: 'local' | 'cloud' = 'local') =>
  loadConfig({ PMS_MODE: mode, PMS_MINI_PROGRAMS: typeof records === 'string' ? records : JSON.stringify(records) });

/** The ConfigError loadConfig throws, for both modes (they must agree). */
function loadError(records: unknown): string {
  const messages = (['local', 'cloud'] as const).map((mode) => {
    try {
      load(records, mode);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error(`loadConfig accepted ${JSON.stringify(records)} in ${mode} mode`);
  });
  expect(messages[0]).toBe(messages[1]);
  return messages[0];
}

describe('defaults', () => {
  test('a record without admins, thirdPartyPlatform or orderPayment gets admins [] and both false', () => {
    const config = load([{ appid: 'wx_minimal', name: 'Minimal Shop', entity: ENTITY }]);
    expect(config.miniPrograms.wx_minimal).toEqual({
      appid: 'wx_minimal',
      name: 'Minimal Shop',
      entity: ENTITY,
      admins: [],
      thirdPartyPlatform: false,
      orderPayment: false,
      serveThirdPartyPlatform: false,
    });
  });

  test('existingMerchant and serveThirdPartyPlatform are kept as declared', () => {
    const existingMerchant = { mchid: '1900000109', feeRatePpm: 10_000, connection: 'INDIRECT' };
    const config = load(
      [
        {
          appid: 'wx_existing',
          name: 'Existing Shop',
          entity: ENTITY,
          existingMerchant,
          serveThirdPartyPlatform: true,
        },
      ],
      'cloud',
    );
    expect(config.miniPrograms.wx_existing).toMatchObject({ existingMerchant, serveThirdPartyPlatform: true });
  });

  test('orderPayment: true is kept (the app then tries wx.requestOrderPayment first)', () => {
    const config = load([{ appid: 'wx_enrolled', name: 'Enrolled Shop', entity: ENTITY, orderPayment: true }], 'cloud');
    expect(config.miniPrograms.wx_enrolled.orderPayment).toBe(true);
  });

  describe('through the merchant function', () => {
    let deps: TestDeps;
    afterEach(() => deps?.close());

    test('a mini program registered without admins answers its calls instead of INTERNAL', async () => {
      const config = load([{ appid: 'wx_minimal', name: 'Minimal Shop', entity: ENTITY, setupCode: STRONG }], 'cloud');
      deps = await testDeps({ miniPrograms: config.miniPrograms, setupCodeProblems: config.setupCodeProblems });
      const status = await ok<MerchantStatus>(call(merchant, { appid: 'wx_minimal', openid: 'o_buyer' }, 'getStatus'));
      expect(status.role).toBe('buyer');
      expect(
        await ok(call(merchant, { appid: 'wx_minimal', openid: 'o_owner' }, 'claimAdmin', { code: STRONG })),
      ).toEqual({ role: 'admin' });
    });
  });
});

describe('refused records name the record, its appid and the field', () => {
  test('entity.domestic is required: never silently treated as overseas (or as domestic)', () => {
    const message = loadError([
      { appid: 'wx_ok', name: 'Fine Shop', entity: ENTITY },
      { appid: 'wx_no_domestic', name: 'Unsure Shop', entity: { name: ENTITY.name, creditCode: ENTITY.creditCode } },
    ]);
    expect(message).toContain('PMS_MINI_PROGRAMS record 1 (appid "wx_no_domestic"): entity.domestic is required');
    expect(message).toMatch(/true for a mainland China entity, false for any other/);
    expect(message).not.toContain('record 0');
  });

  test.each([
    ['domestic as a string', { entity: { ...ENTITY, domestic: 'true' } }, 'entity.domestic must be true or false'],
    ['no entity', { entity: undefined }, 'entity is required'],
    ['entity not an object', { entity: 'Shenzhen Demo Tea' }, 'entity must be an object'],
    ['no entity name', { entity: { ...ENTITY, name: '  ' } }, 'entity.name must not be empty'],
    ['no credit code', { entity: { ...ENTITY, creditCode: undefined } }, 'entity.creditCode is required'],
    [
      'a domestic credit code with a typo',
      { entity: { ...ENTITY, creditCode: '91440300MA5FXT4K8M' } },
      'entity.creditCode is not valid: The check character',
    ],
    ['no name', { name: undefined }, 'name is required'],
    ['admins not a list', { admins: 'o_owner' }, 'admins must be a list of openids'],
    ['an admin not an openid', { admins: ['o_owner', 42] }, 'admins.1 must be an openid string'],
    ['an admin with spaces', { admins: ['o owner'] }, 'admins.0 must be an openid'],
    ['thirdPartyPlatform as a string', { thirdPartyPlatform: 'no' }, 'thirdPartyPlatform must be true or false'],
    ['orderPayment as a string', { orderPayment: 'true' }, 'orderPayment must be true or false'],
    ['a misspelt orderPayment', { requestOrderPayment: true }, 'unknown field requestOrderPayment'],
    ['a misspelt admins', { admin: ['o_owner'] }, 'unknown field admin'],
    [
      'serveThirdPartyPlatform as a string',
      { serveThirdPartyPlatform: 'yes' },
      'serveThirdPartyPlatform must be true or false',
    ],
    ['existingMerchant not an object', { existingMerchant: '1900000109' }, 'existingMerchant must be an object'],
    [
      'an existingMerchant mchid with letters',
      { existingMerchant: { mchid: 'mch1', feeRatePpm: 6000, connection: 'DIRECT' } },
      'existingMerchant.mchid must be a WeChat Pay mchid',
    ],
    [
      'an existingMerchant rate as a percentage',
      { existingMerchant: { mchid: '1900000109', feeRatePpm: 0.6, connection: 'DIRECT' } },
      'existingMerchant.feeRatePpm must be a whole number',
    ],
    [
      'an unknown existingMerchant connection',
      { existingMerchant: { mchid: '1900000109', feeRatePpm: 6000, connection: 'ACQUIRER' } },
      'existingMerchant.connection must be "DIRECT" or "INDIRECT"',
    ],
    [
      'no existingMerchant connection',
      { existingMerchant: { mchid: '1900000109', feeRatePpm: 6000 } },
      'existingMerchant.connection must be',
    ],
    ['an unknown entity field', { entity: { ...ENTITY, country: 'CN' } }, 'unknown field entity.country'],
  ])('%s', (_what, change, expected) => {
    const record = { appid: 'wx_bad', name: 'Bad Shop', entity: ENTITY, ...change };
    const message = loadError([record]);
    expect(message).toContain(`PMS_MINI_PROGRAMS record 0 (appid "wx_bad"): ${expected}`);
  });

  test('an overseas entity may have any registration number', () => {
    const config = load([
      { appid: 'wx_hk', name: 'HK Shop', entity: { name: 'HK Tea Ltd', creditCode: '12345678', domestic: false } },
    ]);
    expect(config.miniPrograms.wx_hk.entity.domestic).toBe(false);
  });

  test('a record without an appid, or not an object, is named by its index', () => {
    expect(loadError([{ name: 'No Appid', entity: ENTITY }])).toContain(
      'PMS_MINI_PROGRAMS record 0 (appid missing): appid is required',
    );
    expect(loadError([{ appid: 'wx_ok', name: 'Fine', entity: ENTITY }, 'wx_str'])).toContain(
      'PMS_MINI_PROGRAMS record 1 (appid missing): must be an object',
    );
    expect(loadError([{ appid: 'wx bad', name: 'Spaces', entity: ENTITY }])).toContain(
      'record 0 (appid "wx bad"): appid must be letters, digits, _ or -',
    );
  });

  test('every problem of every record is listed at once', () => {
    const message = loadError([
      { appid: 'wx_one', entity: { ...ENTITY, domestic: undefined } },
      { appid: 'wx_two', name: 'Two', entity: ENTITY, admins: {} },
    ]);
    expect(message.split('\n')).toEqual([
      'Invalid registration records in PMS_MINI_PROGRAMS:',
      '  PMS_MINI_PROGRAMS record 0 (appid "wx_one"): name is required',
      expect.stringMatching(/^ {2}PMS_MINI_PROGRAMS record 0 \(appid "wx_one"\): entity\.domestic is required/),
      '  PMS_MINI_PROGRAMS record 1 (appid "wx_two"): admins must be a list of openids',
    ]);
  });

  test('an appid registered twice names both records', () => {
    expect(
      loadError([
        { appid: 'wx_twice', name: 'First', entity: ENTITY },
        { appid: 'wx_twice', name: 'Second', entity: ENTITY },
      ]),
    ).toContain('PMS_MINI_PROGRAMS record 1 (appid "wx_twice"): appid is also registered by record 0');
  });

  test('not JSON, or not a list', () => {
    expect(loadError('[{"appid": "wx_a",')).toMatch(/^PMS_MINI_PROGRAMS is not valid JSON/);
    expect(loadError({ appid: 'wx_a' })).toBe('PMS_MINI_PROGRAMS must be a JSON list of registration records');
  });

  test('the error never quotes a setup code', () => {
    const message = loadError([
      { appid: 'wx_secret', name: 'Secret', entity: { ...ENTITY, domestic: 1 }, setupCode: STRONG },
    ]);
    expect(message).toContain('entity.domestic');
    expect(message).not.toContain(STRONG);
  });
});

describe('the setup-code checks still apply after the schema', () => {
  test('a weak or non-string code disables that mini program only; the deployment still loads', () => {
    const config = load(
      [
        { appid: 'wx_weak', name: 'Weak', entity: ENTITY, setupCode: '246810' },
        { appid: 'wx_number', name: 'Number', entity: ENTITY, setupCode: 246810 },
        { appid: 'wx_strong', name: 'Strong', entity: ENTITY, setupCode: STRONG },
      ],
      'cloud',
    );
    expect(config.setupCodeProblems.wx_weak).toMatch(/128/);
    expect(config.setupCodeProblems.wx_number).toBe('setupCode must be a string');
    expect(config.miniPrograms.wx_weak.setupCode).toBeUndefined();
    expect(config.miniPrograms.wx_strong.setupCode).toBe(STRONG);
  });

  test('locally the demo is still registered, and a record with its appid replaces it', () => {
    expect(Object.keys(load([]).miniPrograms)).toEqual([DEMO_APPID]);
    const replaced = load([{ appid: DEMO_APPID, name: 'My Demo', entity: ENTITY, admins: ['o_me'] }]);
    expect(replaced.miniPrograms[DEMO_APPID]).toMatchObject({ name: 'My Demo', admins: ['o_me'] });
    expect(parseMiniPrograms(undefined)).toEqual([]);
    expect(parseMiniPrograms('  ')).toEqual([]);
  });
});

test("the README's registration-record example loads as documented", () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  expect(readme).toContain('### Registration records');
  const section = readme.slice(readme.indexOf('### Registration records'));
  const example = /```json\n([\s\S]*?)```/.exec(section);
  expect(example).not.toBeNull();
  const records = parseMiniPrograms(example?.[1]) as MiniProgramRecord[];
  expect(records.length).toBeGreaterThanOrEqual(2);
  const config = load(example?.[1] ?? '', 'cloud');
  expect(config.setupCodeProblems).toEqual({});
  // Every field the README's table documents appears in the example.
  const fields = new Set(
    records.flatMap((r) => [...Object.keys(r), ...Object.keys(r.entity).map((k) => `entity.${k}`)]),
  );
  for (const field of [
    'appid',
    'name',
    'entity.name',
    'entity.creditCode',
    'entity.domestic',
    'thirdPartyPlatform',
    'admins',
    'setupCode',
    'orderPayment',
    'existingMerchant',
    'serveThirdPartyPlatform',
  ])
    expect(fields).toContain(field);
});
