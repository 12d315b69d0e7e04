// The review summary: every step's saved values (masked where personal),
// the documents, and every problem submit would refuse, each pointing at the
// page and field that fix it (pure).
import type { ApplicationView, OnboardingIntro, StepName } from '../../../../../typings/onboarding';
import { optionsFor, pathLabel, SLOT_LABELS, STEP_DEFS, TYPE_TITLES } from '../../utils/fields';

export interface SummaryRow {
  label: string;
  value: string;
}

export interface SummarySection {
  step: StepName;
  title: string;
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
  typeTitle: string;
  sections: SummarySection[];
  documents: SummaryRow[];
  problems: Problem[];
}

export function fixLocation(path: string): { url: 'form' | 'documents'; query: Record<string, string> } {
  const [step, field] = path.split('.');
  if (step === 'documents') return { url: 'documents', query: { field: field ?? '' } };
  return { url: 'form', query: { step, field: field ?? '' } };
}

export function reviewView(app: ApplicationView, intro: OnboardingIntro): ReviewView {
  const type = app.merchantType;
  const sections = STEP_DEFS.map((def) => {
    const values = (app.steps[def.step] ?? {}) as Record<string, string>;
    const rows = def.fields
      .filter((f) => values[f.key] !== undefined)
      .map((f) => {
        let value = values[f.key];
        if (f.options) value = optionsFor(f.options, intro, type).find((o) => o.value === value)?.label ?? value;
        if (value === 'LONG_TERM') value = 'Long-term';
        return { label: f.label, value };
      });
    return { step: def.step, title: def.title, rows };
  });
  const documents = app.documentSlots.map(({ slot, required }) => ({
    label: SLOT_LABELS[slot] ?? slot,
    value: app.documents[slot] ? 'Uploaded' : required ? 'Missing' : 'Optional, not uploaded',
  }));
  const problems = Object.entries(app.problems).map(([path, reason]) => problemOf(path, reason));
  return { typeTitle: TYPE_TITLES[type], sections, documents, problems };
}

export function problemOf(path: string, reason: string): Problem {
  return { path, id: path.replace(/\./g, '-'), label: pathLabel(path), reason };
}
