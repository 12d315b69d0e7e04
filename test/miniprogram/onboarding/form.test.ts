// The step-by-step form: inline validation from the backend, required
// fields, personal data never echoed back nor kept on the phone, unsaved
// input surviving a restart, and jumping to a field WeChat Pay rejected.
import type { ApplicationView } from '../../../typings/onboarding';
import type { ApplicationDoc } from '../../../cloudfunctions/core/onboarding/application-doc';
import {
  exists,
  find,
  findAll,
  fire,
  loadPage,
  renderPage,
  speak,
  tap,
  text,
  texts,
  typeInto,
  useHarness,
  waitFor,
} from '../harness';
import { ok } from '../../support/deps';
import { ENTITY, validSteps } from '../../onboarding/fixtures';
import { choose, merchant, saveAll } from '../../onboarding/support';
import { phoneStorage, simulateCascader } from './support';

const h = useHarness({ as: 'admin' });
simulateCascader();
const form = loadPage('packages/onboarding/pages/form/index');
const loaded = (page: ReturnType<typeof renderPage>) =>
  waitFor(() => page.data.loadState === 'idle' && page.data.fields.length > 0);
const keys = (page: ReturnType<typeof renderPage>) => page.data.fields.map((f: { key: string }) => f.key);
const fieldError = (page: ReturnType<typeof renderPage>, key: string) =>
  page.data.fields.find((f: { key: string }) => f.key === key)?.error;

async function pickDate(page: ReturnType<typeof renderPage>, key: string, value: string) {
  await fire(find(page, `field__picker--${key}`), 'change', { value });
}

/** Opens the region picker and taps each name in turn (province, city, district) as a person would. */
async function chooseRegion(page: ReturnType<typeof renderPage>, names: string[]) {
  const region = () => page.data.fields.find((f: { key: string }) => f.key === 'addressCode');
  const before = region().value;
  await tap(find(page, 'field__region--addressCode'));
  for (const name of names) {
    // Every level's list is on the page; the deepest one holding the name is the one just opened.
    const radio = findAll(page, 't-radio')
      .filter((el) => text(el) === name)
      .pop();
    if (!radio) throw new Error(`no region "${name}" to choose`);
    await tap(radio);
  }
  // The cascader reports the choice after its own update settles.
  await waitFor(() => region().value !== before);
}

test('the entity step of an enterprise: filled, saved, on to the next step', async () => {
  await choose('ENTERPRISE');
  const page = renderPage(form, { step: 'subject' });
  expect(exists(page, 't-loading')).toBe(true);
  await loaded(page);
  expect(keys(page)).toEqual(['creditCode', 'name', 'legalPerson', 'address', 'periodBegin', 'periodEnd']);
  // One compact step bar: the step's title and where it stands, a dot per step, no row of titles.
  expect(text(find(page, 'step-bar__title'))).toBe('主体信息');
  expect(text(find(page, 'step-bar__progress'))).toBe('1/6');
  expect(findAll(page, 'step-bar__step')).toHaveLength(6);
  expect(text(find(page, 'step-bar__track'))).toBe('1 2 3 4 5 6');
  expect(texts(page, 'field__label')).toEqual(['统一社会信用代码', '商户名称', '法定代表人', '注册地址']);
  expect(text(find(page, 'field__select--periodBegin'))).toContain('有效期开始');
  expect(text(find(page, 'form__next'))).toBe('下一步');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '填写申请资料' }));

  await typeInto(page, 'field__input--creditCode', '91440300ma5fxt4k8n');
  await typeInto(page, 'field__input--name', ENTITY.name);
  await typeInto(page, 'field__input--legalPerson', '张三');
  await typeInto(page, 'field__input--address', '深圳市南山区科技园科技中一路1号');
  await pickDate(page, 'periodBegin', '2018-05-01');
  await fire(find(page, 'field__switch--periodEnd'), 'change', { value: true });
  expect(page.data.fields.find((f: { key: string }) => f.key === 'periodEnd').display).toBe('长期');

  await tap(find(page, 'form__next'));
  await waitFor(() => h.navigations().length === 1);
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/form/index?step=identity']);
  const [save] = h.callsTo('merchant', 'saveStep');
  expect(save.data).toEqual({
    step: 'subject',
    data: {
      creditCode: '91440300ma5fxt4k8n',
      name: ENTITY.name,
      legalPerson: '张三',
      address: '深圳市南山区科技园科技中一路1号',
      periodBegin: '2018-05-01',
      periodEnd: 'LONG_TERM',
    },
  });
  const app = await ok(merchant<ApplicationView>('getApplication'));
  expect(app.complete.subject).toBe(true);
  expect(app.steps.subject.creditCode).toBe(ENTITY.creditCode);
});

test('the backend’s reasons show under their fields, and nothing moves on', async () => {
  await choose('ENTERPRISE');
  const page = renderPage(form, { step: 'subject' });
  await loaded(page);
  const steps = validSteps('ENTERPRISE').subject as Record<string, string>;
  for (const key of ['name', 'legalPerson', 'address']) await typeInto(page, `field__input--${key}`, steps[key]);
  await typeInto(page, 'field__input--creditCode', '91440300MA5FXT4K8M');
  await pickDate(page, 'periodBegin', '2018-05-01');
  await fire(find(page, 'field__switch--periodEnd'), 'change', { value: true });
  await tap(find(page, 'form__next'));
  await waitFor(() => page.data.submitError !== '');
  // The backend's reason, worded by the app (ApiFailure.fields), shown under the field.
  const reason = fieldError(page, 'creditCode');
  expect(reason).toMatch(/[\u4e00-\u9fff]/);
  expect(text(find(page, 'field__input--creditCode'))).toContain(reason);
  expect(text(find(page, 'form__submit-error'))).toBe('请检查填写的内容');
  expect(h.navigations()).toEqual([]);

  // Another entity than the mini program's: refused on the field, with the entity it must be.
  await typeInto(page, 'field__input--creditCode', '91350100M000100Y43');
  expect(fieldError(page, 'creditCode')).toBe('');
  await tap(find(page, 'form__next'));
  await waitFor(() => !!fieldError(page, 'creditCode'));
  expect(fieldError(page, 'creditCode')).toMatch(/[\u4e00-\u9fff]/);
  expect(fieldError(page, 'creditCode')).toContain(ENTITY.creditCode);
  expect(text(find(page, 'form__submit-error'))).toBe('申请主体须与小程序的主体一致');
});

test('Next with empty fields marks them and calls nothing; Save draft keeps a partial step', async () => {
  await choose('INDIVIDUAL');
  const page = renderPage(form, { step: 'business' });
  await loaded(page);
  await typeInto(page, 'field__input--shortName', 'Noodle Stall');
  await tap(find(page, 'form__next'));
  expect(fieldError(page, 'servicePhone')).toBe('必填');
  expect(fieldError(page, 'industry')).toBe('必填');
  expect(text(find(page, 'field__error--industry'))).toBe('必填');
  expect(text(find(page, 'form__submit-error'))).toBe('请完善标出的内容');
  expect(h.callsTo('merchant', 'saveStep')).toHaveLength(0);

  await tap(find(page, 'form__save'));
  await waitFor(() => h.callsTo('merchant', 'saveStep').length === 1);
  await waitFor(() => (wx.showToast as unknown as jest.Mock).mock.calls.length > 0);
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '草稿已保存', icon: 'success' }));
  expect((await ok(merchant<ApplicationView>('getApplication'))).steps.business).toEqual({ shortName: 'Noodle Stall' });
});

test('choices: the industry list is the type’s own; one-answer choices are made for the admin', async () => {
  await choose('INDIVIDUAL');
  const page = renderPage(form, { step: 'business' });
  await loaded(page);
  const industry = page.data.fields.find((f: { key: string }) => f.key === 'industry');
  expect(industry.options.map((o: { value: string }) => o.value)).toEqual([
    'IND_CATERING',
    'IND_RETAIL',
    'IND_SERVICES',
  ]);
  expect(industry.options.map((o: { label: string }) => o.label)).toEqual([
    '餐饮（费率 0.6%）',
    '线下零售（费率 0.6%）',
    '居民生活服务（费率 0.6%）',
  ]);
  expect(text(find(page, 'field__select--industry'))).toBe('所属行业 请选择');
  await fire(find(page, 'field__picker--industry'), 'change', { value: 1 });
  expect(text(find(page, 'field__select--industry'))).toBe('所属行业 线下零售（费率 0.6%）');

  // An individual business's administrator is its operator: no question asked.
  const contact = renderPage(form, { step: 'contact' });
  await loaded(contact);
  expect(keys(contact)).toEqual(['mobile', 'email']);
});

test('an authorised administrator brings their own ID fields', async () => {
  await choose('ENTERPRISE');
  const page = renderPage(form, { step: 'contact' });
  await loaded(page);
  expect(keys(page)).toEqual(['contactType', 'mobile', 'email']);
  expect(page.data.fields[0].options.map((o: { label: string }) => o.label)).toEqual([
    '由法定代表人担任',
    '由经办人担任',
  ]);
  await fire(find(page, 'field__picker--contactType'), 'change', { value: 1 });
  expect(keys(page)).toEqual([
    'contactType',
    'name',
    'docType',
    'number',
    'periodBegin',
    'periodEnd',
    'mobile',
    'email',
  ]);
});

test('a keystroke sends only the changed field’s paths, never the option lists', async () => {
  await choose('ENTERPRISE');
  const page = renderPage(form, { step: 'bank' });
  await loaded(page);
  expect(page.data.fields.find((f: { key: string }) => f.key === 'bank').options.length).toBeGreaterThan(0);
  const instance = page.instance as unknown as { setData(data: Record<string, unknown>): void };
  const setData = jest.spyOn(instance, 'setData');
  const index = keys(page).indexOf('accountNumber');

  await typeInto(page, 'field__input--accountNumber', '6222');
  expect(setData).toHaveBeenCalledTimes(1);
  const [payload] = setData.mock.calls[0];
  expect(payload).toEqual({ [`fields[${index}].value`]: '6222' });
  expect(JSON.stringify(payload)).not.toContain('options');
  expect(page.data.fields[index].value).toBe('6222');

  // A field's error goes with the keystroke that clears it, and nothing else.
  setData.mockClear();
  await tap(find(page, 'form__next'));
  expect(page.data.fields.find((f: { key: string }) => f.key === 'accountName').error).toBe('必填');
  expect(JSON.stringify(setData.mock.calls)).not.toContain('options');
  setData.mockClear();
  await typeInto(page, 'field__input--accountName', '深圳某某科技有限公司');
  const accountName = keys(page).indexOf('accountName');
  expect(setData.mock.calls.map(([data]) => data)).toEqual([
    { [`fields[${accountName}].value`]: '深圳某某科技有限公司', [`fields[${accountName}].error`]: '' },
  ]);

  // A choice that brings in a dependent field: that field is sent once, with what it needs.
  setData.mockClear();
  const bank = page.data.fields.find((f: { key: string }) => f.key === 'bank');
  await fire(find(page, 'field__picker--bank'), 'change', {
    value: bank.options.findIndex((o: { value: string }) => o.value === 'OTHER'),
  });
  expect(keys(page)).toContain('branchName');
  const sent = Object.keys(setData.mock.calls[0][0]);
  expect(sent).not.toContain('fields');
  expect(sent.some((path) => path.endsWith('.options'))).toBe(false);
  expect(exists(page, 'field__input--branchName')).toBe(true);
});

test('personal data is never put back in an input: the masked value shows as saved', async () => {
  await choose('ENTERPRISE');
  await saveAll(validSteps('ENTERPRISE'));
  const page = renderPage(form, { step: 'identity' });
  await loaded(page);
  const number = page.data.fields.find((f: { key: string }) => f.key === 'number');
  expect(number.value).toBe('');
  expect(number.placeholder).toBe('已保存：1****************X');
  expect(JSON.stringify(page.data)).not.toContain('11010519491231002X');
  // Moving on without retyping sends nothing personal and keeps what is saved.
  await tap(find(page, 'form__next'));
  await waitFor(() => h.navigations().length === 1);
  expect(h.callsTo('merchant', 'saveStep')[0].data).toEqual({ step: 'identity', data: {} });
  expect((await ok(merchant<ApplicationView>('getApplication'))).complete.identity).toBe(true);
});

test('input not saved yet survives leaving the app, except personal data', async () => {
  const storage = phoneStorage();
  await choose('ENTERPRISE');
  const first = renderPage(form, { step: 'subject' });
  await loaded(first);
  await typeInto(first, 'field__input--address', '深圳市福田区');
  await typeInto(first, 'field__input--legalPerson', '张三');
  first.detach();

  const again = renderPage(form, { step: 'subject' });
  await loaded(again);
  expect(again.data.fields.find((f: { key: string }) => f.key === 'address').value).toBe('深圳市福田区');
  expect(again.data.fields.find((f: { key: string }) => f.key === 'legalPerson').value).toBe('');
  expect(JSON.stringify([...storage.values()])).not.toContain('张三');
});

test('a rejected field: the link opens its step with the reason under it and the field focused', async () => {
  await choose('ENTERPRISE');
  await saveAll(validSteps('ENTERPRISE'));
  const app = (await h.deps.store.find<ApplicationDoc>('applications', { limit: 1 })).items[0];
  await h.deps.store.update('applications', app._id, {
    set: {
      state: 'REJECTED',
      review: {
        rejected: [
          {
            wechatField: 'id_card_number',
            label: '身份证号码',
            reason: '号码与照片不一致',
            formField: 'identity.number',
            step: 'identity',
          },
        ],
      },
    },
  });
  const page = renderPage(form, { step: 'identity', field: 'number' });
  await loaded(page);
  const number = page.data.fields.find((f: { key: string }) => f.key === 'number');
  expect(number).toMatchObject({ focus: true, error: '号码与照片不一致' });
  expect(findAll(page, 'field--focus')).toHaveLength(1);
});

test('an application under review is shown locked', async () => {
  await choose('ENTERPRISE');
  const app = (await h.deps.store.find<ApplicationDoc>('applications', { limit: 1 })).items[0];
  await h.deps.store.update('applications', app._id, { set: { state: 'AUDITING' } });
  const page = renderPage(form, { step: 'business' });
  await loaded(page);
  expect(text(find(page, 'form__locked'))).toContain('申请已提交，当前不能在这里修改');
  expect(exists(page, 'form__next')).toBe(false);
  await tap(find(page, 'form__view'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/status/index']);
});

test('no application: the empty state leads to the start', async () => {
  const page = renderPage(form, { step: 'subject' });
  await waitFor(() => page.data.loadState === 'empty');
  expect(text(page)).toContain('还没有进行中的申请');
  expect(text(find(page, 'form__start'))).toBe('开始申请');
  await tap(find(page, 'form__start'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/intro/index']);
});

test('a failed load shows the error with retry', async () => {
  await choose('ENTERPRISE');
  h.failNext();
  const page = renderPage(form, { step: 'subject' });
  await waitFor(() => page.data.loadState === 'error');
  await tap(find(page, 't-button', 'load-state__error'));
  await loaded(page);
});

test('the branch region is chosen province -> city -> district, and the district code is what is saved', async () => {
  await choose('ENTERPRISE');
  const page = renderPage(form, { step: 'bank' });
  await loaded(page);
  expect(text(find(page, 'field__select--addressCode'))).toBe('开户行所在地 请选择省 / 市 / 区');
  await chooseRegion(page, ['广东省', '深圳市', '南山区']);
  const region = page.data.fields.find((f: { key: string }) => f.key === 'addressCode');
  expect(region).toMatchObject({ value: '440305', display: '广东省 / 深圳市 / 南山区' });
  expect(text(find(page, 'field__select--addressCode'))).toBe('开户行所在地 广东省 / 深圳市 / 南山区');

  await tap(find(page, 'form__save'));
  await waitFor(() => h.callsTo('merchant', 'saveStep').length === 1);
  expect(h.callsTo('merchant', 'saveStep')[0].data).toEqual({
    step: 'bank',
    data: { accountType: 'CORPORATE', addressCode: '440305' },
  });
  expect((await ok(merchant<ApplicationView>('getApplication'))).steps.bank.addressCode).toBe('440305');

  // Back on the step, the saved code reads as its places, and the picker opens on it.
  const again = renderPage(form, { step: 'bank' });
  await loaded(again);
  expect(text(find(again, 'field__select--addressCode'))).toBe('开户行所在地 广东省 / 深圳市 / 南山区');
  await chooseRegion(again, ['北京市', '北京市', '海淀区']);
  expect(again.data.fields.find((f: { key: string }) => f.key === 'addressCode').value).toBe('110108');
  // The simulator redraws every level's list on each tap: slow, but the real cascader.
}, 20_000);

test('a city without districts is chosen as it is', async () => {
  await choose('ENTERPRISE');
  const page = renderPage(form, { step: 'bank' });
  await loaded(page);
  await chooseRegion(page, ['广东省', '东莞市']);
  expect(page.data.fields.find((f: { key: string }) => f.key === 'addressCode').value).toBe('441900');
}, 10_000);

test('in English: labels above their inputs, the step bar and the region picker in English', async () => {
  speak('en-US');
  await choose('ENTERPRISE');
  await saveAll(validSteps('ENTERPRISE'));
  const page = renderPage(form, { step: 'bank' });
  await loaded(page);
  expect(page.data.layout).toBe('vertical');
  expect(text(find(page, 'step-bar__title'))).toBe('Settlement account');
  expect(text(find(page, 'step-bar__progress'))).toBe('5/6');
  expect(texts(page, 'field__label')).toEqual(['Account name', 'Branch', 'Account number']);
  expect(text(find(page, 'field__select--bank'))).toContain('Bank');
  expect(text(find(page, 'form__next'))).toBe('Next');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: 'Application' }));
  // Place names are data and stay Chinese; nothing else on the step is.
  const withoutPlaces = text(page).replace(/广东省 \/ 深圳市/, '');
  expect(withoutPlaces).not.toMatch(/[\u4e00-\u9fff]/);
  await tap(find(page, 'field__region--addressCode'));
  expect(text(find(page, 't-cascader__title'))).toBe('Branch region');
});
