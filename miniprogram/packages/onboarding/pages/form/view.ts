// What the form shows for one step, derived from the saved (masked) values,
// the admin's input, the field errors and the option lists (pure, in the
// current language).
import type { MerchantType, OnboardingIntro } from '../../../../../typings/onboarding';
import { format } from '../../../../i18n/index';
import { pt } from '../../i18n/index';
import {
  type FieldDef,
  type FieldKind,
  fieldLabel,
  optionsFor,
  type Option,
  placeholderOf,
  STEP_DEFS,
  type StepDef,
} from '../../utils/fields';
import { regionText } from '../../utils/regions';

export interface FieldView {
  key: string;
  label: string;
  kind: FieldKind;
  inputType: string;
  maxlength: number;
  placeholder: string;
  value: string;
  /** Select: the chosen option's label; end: the date or "long-term"; region: "广东省 / 深圳市 / 南山区". */
  display: string;
  options: Option[];
  optionIndex: number;
  longTerm: boolean;
  error: string;
  focus: boolean;
  sensitive: boolean;
}

export const LONG_TERM = 'LONG_TERM';

export function visibleFields(def: StepDef, values: Record<string, string>, type: MerchantType): FieldDef[] {
  return def.fields.filter((f) => !f.when || f.when(values, type));
}

export function fieldViews(
  def: StepDef,
  values: Record<string, string>,
  saved: Record<string, string>,
  errors: Record<string, string>,
  intro: OnboardingIntro,
  type: MerchantType,
  focusKey: string,
): FieldView[] {
  // Whether a field applies can depend on saved and typed values alike (the administrator type).
  const effective = { ...saved, ...values };
  const words = pt().form;
  return visibleFields(def, effective, type).map((f) => {
    const options = f.options ? optionsFor(f.options, intro, type) : [];
    const value = values[f.key] ?? '';
    const current = effective[f.key] ?? '';
    const optionIndex = options.findIndex((o) => o.value === current);
    let placeholder = placeholderOf(f);
    // Personal data comes back masked: it is never put back in the input, only shown as saved.
    if (f.sensitive && saved[f.key]) placeholder = format(words.saved, { masked: saved[f.key] });
    let display = '';
    if (f.kind === 'select') display = optionIndex >= 0 ? options[optionIndex].label : '';
    if (f.kind === 'date') display = current;
    if (f.kind === 'end') display = current === LONG_TERM ? words.longTerm : current;
    // A code the table does not know (saved before the picker existed) still shows, as itself.
    if (f.kind === 'region') display = current ? regionText(current) || current : '';
    return {
      key: f.key,
      label: fieldLabel(def.step, f, type),
      kind: f.kind,
      inputType: f.inputType ?? 'text',
      maxlength: f.maxlength ?? 128,
      placeholder,
      value: f.sensitive ? value : current,
      display,
      options,
      optionIndex: Math.max(0, optionIndex),
      longTerm: current === LONG_TERM,
      error: errors[f.key] ?? '',
      focus: f.key === focusKey,
      sensitive: !!f.sensitive,
    };
  });
}

/**
 * The setData paths that turn the fields on screen (`shown`) into `next`:
 * only the properties that changed (`fields[2].value`, `fields[2].error`), so
 * a keystroke does not send every field's option list again. A field that
 * appears where another was is sent whole (its options once); when fields
 * go away the list is sent whole, as a path cannot shorten an array.
 */
export function fieldsPatch(shown: FieldView[], next: FieldView[]): Record<string, unknown> {
  if (next.length < shown.length || !shown.length) return { fields: next };
  const patch: Record<string, unknown> = {};
  next.forEach((field, i) => {
    const before = shown[i];
    if (!before || before.key !== field.key) {
      patch[`fields[${i}]`] = field;
      return;
    }
    for (const prop of Object.keys(field) as (keyof FieldView)[]) {
      const a = before[prop];
      const b = field[prop];
      const same = prop === 'options' ? sameOptions(a as Option[], b as Option[]) : a === b;
      if (!same) patch[`fields[${i}].${prop}`] = b;
    }
  });
  return patch;
}

function sameOptions(a: Option[], b: Option[]): boolean {
  return a === b || (a.length === b.length && a.every((o, i) => o.value === b[i].value && o.label === b[i].label));
}

/** Fields the step still needs: neither typed nor saved. */
export function missing(
  def: StepDef,
  values: Record<string, string>,
  saved: Record<string, string>,
  type: MerchantType,
): Record<string, string> {
  const effective = { ...saved, ...values };
  const out: Record<string, string> = {};
  for (const f of visibleFields(def, effective, type)) {
    if (!effective[f.key]) out[f.key] = pt().form.required;
  }
  return out;
}

/**
 * What to send: every applicable field typed in this visit; personal data
 * only when typed (an empty one keeps what is saved).
 */
export function patchOf(
  def: StepDef,
  values: Record<string, string>,
  saved: Record<string, string>,
  type: MerchantType,
): Record<string, string> {
  const patch: Record<string, string> = {};
  for (const f of visibleFields(def, { ...saved, ...values }, type)) {
    const value = values[f.key];
    if (value === undefined) continue;
    if (f.sensitive && value.trim() === '') continue;
    patch[f.key] = value;
  }
  return patch;
}

/** Values with only one possible answer for this type are filled in for the admin. */
export function defaultsFor(step: string, saved: Record<string, string>, type: MerchantType): Record<string, string> {
  if (step === 'contact' && type === 'INDIVIDUAL' && saved.contactType !== 'LEGAL') return { contactType: 'LEGAL' };
  if (step === 'bank' && type !== 'INDIVIDUAL' && saved.accountType !== 'CORPORATE')
    return { accountType: 'CORPORATE' };
  return {};
}

/** Width of a text in Chinese characters: a Latin letter is about half of one. */
function widthOf(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.charCodeAt(0) > 0x2e7f ? 1 : 0.5;
  return width;
}

/** The widest a label may be beside its input (in em); wider ones go above it. */
const BESIDE_MAX_EM = 8;

/**
 * How the form places its labels: beside the inputs when every label of the
 * form fits a column of 8 (Chinese), in a column as wide as this step's
 * longest label; else above the inputs, for every step alike (English labels
 * are long, and never break inside a word).
 */
export function labelLayout(
  def: StepDef,
  type: MerchantType,
): { layout: 'horizontal' | 'vertical'; labelWidth: number } {
  const widest = (defs: StepDef[]) =>
    Math.max(0, ...defs.flatMap((d) => d.fields.map((f) => widthOf(fieldLabel(d.step, f, type)))));
  if (widest(STEP_DEFS) > BESIDE_MAX_EM) return { layout: 'vertical', labelWidth: 0 };
  return { layout: 'horizontal', labelWidth: Math.max(4, Math.ceil(widest([def]))) };
}
