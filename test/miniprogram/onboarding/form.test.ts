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
  tap,
  text,
  typeInto,
  useHarness,
  waitFor,
} from '../harness';
import { ok } from '../../support/deps';
import { ENTITY, validSteps } from '../../onboarding/fixtures';
import { choose, merchant, saveAll } from '../../onboarding/support';
import { phoneStorage } from './support';

const h = useHarness({ as: 'admin' });
const form = loadPage('packages/onboarding/pages/form/index');
const loaded = (page: ReturnType<typeof renderPage>) =>
  waitFor(() => page.data.loadState === 'idle' && page.data.fields.length > 0);
const keys = (page: ReturnType<typeof renderPage>) => page.data.fields.map((f: { key: string }) => f.key);
const fieldError = (page: ReturnType<typeof renderPage>, key: string) =>
  page.data.fields.find((f: { key: string }) => f.key === key)?.error;

async function pickDate(page: ReturnType<typeof renderPage>, key: string, value: string) {
  await fire(find(page, `field__picker--${key}`), 'change', { value });
}

test('the entity step of an enterprise: filled, saved, on to the next step', async () => {
  await choose('ENTERPRISE');
  const page = renderPage(form, { step: 'subject' });
  expect(exists(page, 't-loading')).toBe(true);
  await loaded(page);
  expect(keys(page)).toEqual(['creditCode', 'name', 'legalPerson', 'address', 'periodBegin', 'periodEnd']);
  expect(text(find(page, 'form__title'))).toBe('Entity');

  await typeInto(page, 'field__input--creditCode', '91440300ma5fxt4k8n');
  await typeInto(page, 'field__input--name', ENTITY.name);
  await typeInto(page, 'field__input--legalPerson', '张三');
  await typeInto(page, 'field__input--address', '深圳市南山区科技园科技中一路1号');
  await pickDate(page, 'periodBegin', '2018-05-01');
  await fire(find(page, 'field__switch--periodEnd'), 'change', { value: true });
  expect(page.data.fields.find((f: { key: string }) => f.key === 'periodEnd').display).toBe('Long-term');

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
  expect(fieldError(page, 'creditCode')).toMatch(/check character/);
  expect(text(find(page, 'field__input--creditCode'))).toContain('check character');
  expect(h.navigations()).toEqual([]);

  // Another entity than the mini program's: refused on the field, with the entity it must be.
  await typeInto(page, 'field__input--creditCode', '91350100M000100Y43');
  expect(fieldError(page, 'creditCode')).toBe('');
  await tap(find(page, 'form__next'));
  await waitFor(() => !!fieldError(page, 'creditCode'));
  expect(fieldError(page, 'creditCode')).toContain(ENTITY.creditCode);
  expect(text(find(page, 'form__submit-error'))).toContain("mini program's own entity");
});

test('Next with empty fields marks them and calls nothing; Save draft keeps a partial step', async () => {
  await choose('INDIVIDUAL');
  const page = renderPage(form, { step: 'business' });
  await loaded(page);
  await typeInto(page, 'field__input--shortName', 'Noodle Stall');
  await tap(find(page, 'form__next'));
  expect(fieldError(page, 'servicePhone')).toBe('Required');
  expect(fieldError(page, 'industry')).toBe('Required');
  expect(h.callsTo('merchant', 'saveStep')).toHaveLength(0);

  await tap(find(page, 'form__save'));
  await waitFor(() => h.callsTo('merchant', 'saveStep').length === 1);
  await waitFor(() => (wx.showToast as unknown as jest.Mock).mock.calls.length > 0);
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
  await fire(find(page, 'field__picker--industry'), 'change', { value: 1 });
  expect(text(find(page, 'field__select--industry'))).toContain('Retail and wholesale');

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
  const index = keys(page).indexOf('addressCode');

  await typeInto(page, 'field__input--addressCode', '4403');
  expect(setData).toHaveBeenCalledTimes(1);
  const [payload] = setData.mock.calls[0];
  expect(payload).toEqual({ [`fields[${index}].value`]: '4403' });
  expect(JSON.stringify(payload)).not.toContain('options');
  expect(page.data.fields[index].value).toBe('4403');

  // A field's error goes with the keystroke that clears it, and nothing else.
  setData.mockClear();
  await tap(find(page, 'form__next'));
  expect(page.data.fields.find((f: { key: string }) => f.key === 'accountName').error).toBe('Required');
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
  expect(number.placeholder).toBe('Saved: 1****************X (type to change)');
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
  expect(text(find(page, 'form__locked'))).toContain('not a draft any more');
  expect(exists(page, 'form__next')).toBe(false);
  await tap(find(page, 'form__view'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/status/index']);
});

test('no application: the empty state leads to the start', async () => {
  const page = renderPage(form, { step: 'subject' });
  await waitFor(() => page.data.loadState === 'empty');
  expect(text(page)).toContain('There is no application in progress');
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
