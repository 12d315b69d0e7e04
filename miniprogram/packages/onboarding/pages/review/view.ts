// The review summary: every step's saved values (masked where personal),
// the documents, and every problem submit would refuse, each pointing at the
// page and field that fix it (pure, in the current language).
import type { ApplicationView, MerchantType, OnboardingIntro, StepName } from '../../../../../typings/onboarding';
import { format, lang } from '../../../../i18n/index';
import { fieldText } from '../../../../i18n/field-reasons';
import { pt } from '../../i18n/index';
import {
  fieldLabel,
  merchantTypeTitle,
  optionsFor,
  pathLabel,
  slotLabel,
  STEP_DEFS,
  stepTitle,
} from '../../utils/fields';
import { regionText } from '../../utils/regions';

export interface SummaryRow {
  label: string;
  value: string;
}

export interface SummarySection {
  step: StepName;
  title: string;
  /** "修改主体信息": the edit link's accessible name. */
  editLabel: string;
  rows: SummaryRow[];
}

export interface Problem {
  path: string;
  /** The path as a class-name suffix ("identity-number"). */
  id: string;
  label: string;
  reason: string;
}

export interface ReviewView {
  type: MerchantType;
  typeTitle: string;
  problemsTitle: string;
  sections: SummarySection[];
  documents: SummaryRow[];
  editDocumentsLabel: string;
  problems: Problem[];
}

export function fixLocation(path: string): { url: 'form' | 'documents'; query: Record<string, string> } {
  const [step, field] = path.split('.');
  if (step === 'documents') return { url: 'documents', query: { field: field ?? '' } };
  return { url: 'form', query: { step, field: field ?? '' } };
}

export function reviewView(app: ApplicationView, intro: OnboardingIntro): ReviewView {
  const type = app.merchantType;
  const words = pt();
  const sections = STEP_DEFS.map((def) => {
    const values = (app.steps[def.step] ?? {}) as Record<string, string>;
    const rows = def.fields
      .filter((f) => values[f.key] !== undefined)
      .map((f) => {
        let value = values[f.key];
        if (f.options) value = optionsFor(f.options, intro, type).find((o) => o.value === value)?.label ?? value;
        if (f.kind === 'region') value = regionText(value) || value;
        if (value === 'LONG_TERM') value = words.form.longTerm;
        return { label: fieldLabel(def.step, f, type), value };
      });
    const title = stepTitle(def.step, type);
    return { step: def.step, title, editLabel: format(words.review.editStep, { step: title }), rows };
  });
  const documents = app.documentSlots.map(({ slot, required }) => ({
    label: slotLabel(slot, type),
    value: app.documents[slot] ? words.review.uploaded : required ? words.review.missing : words.review.optional,
  }));
  const problems = Object.entries(app.problems as Record<string, unknown>).map(([path, reason]) =>
    problemOf(path, problemReason(reason), type),
  );
  return {
    type,
    typeTitle: merchantTypeTitle(type),
    problemsTitle: problemsTitle(problems.length),
    sections,
    documents,
    editDocumentsLabel: format(words.review.editStep, { step: stepTitle('documents', type) }),
    problems,
  };
}

export function problemsTitle(count: number): string {
  return format(pt().review.problems, { count });
}

/** Why submit would refuse a field: the backend's reason code in the user's words. */
function problemReason(reason: unknown): string {
  return fieldText(lang(), reason);
}

export function problemOf(path: string, reason: string, type?: MerchantType): Problem {
  return { path, id: path.replace(/\./g, '-'), label: pathLabel(path, type), reason };
}
