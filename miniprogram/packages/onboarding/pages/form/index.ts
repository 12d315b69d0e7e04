// The application form, one step per visit (?step=subject|identity|contact|
// business|bank, ?field= to go straight to a field to fix). "Next" saves the
// step and moves on; "Save draft" saves what is there. The backend judges
// every value and its reasons show under the fields. Input not saved yet
// survives leaving the app (personal data excepted: that is never kept on
// the phone).
import type { ApplicationView, MerchantType, OnboardingIntro, StepName } from '../../../../../typings/onboarding';
import { localized } from '../../../../behaviors/localized';
import type { LoadState } from '../../../../components/load-state/index';
import { toast } from '../../../../services/feedback';
import { openPage, replacePage } from '../../../../services/navigation';
import {
  dispatchSaveStep,
  fetchApplication,
  fetchIntro,
  forgetUnsaved,
  keepUnsaved,
  loadUnsaved,
} from '../../../../services/onboarding';
import { failureOf } from '../../../../services/transport';
import { guarded } from '../../../../utils/guard';
import { pt } from '../../i18n/index';
import { STEP_DEFS, stepDef, type StepDef, stepHint, stepTitles } from '../../utils/fields';
import { OnboardingRoutes } from '../../utils/routes';
import { defaultsFor, fieldsPatch, fieldViews, type FieldView, labelLayout, missing, patchOf } from './view';

Component({
  behaviors: [localized(pt, (x) => x.form.title)],
  data: {
    loadState: 'loading' as LoadState,
    errorText: '',
    step: 'subject' as StepName,
    stepIndex: 0,
    stepTitles: [] as string[],
    hint: '',
    type: '' as MerchantType | '',
    fields: [] as FieldView[],
    layout: 'horizontal' as 'horizontal' | 'vertical',
    labelWidth: 6,
    saving: false,
    submitError: '',
    /** Shown for an application that is no longer a draft. */
    locked: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const def = stepDef(query.step ?? 'subject') ?? STEP_DEFS[0];
      const self = this as unknown as FormState;
      self.def = def;
      self.values = {};
      self.saved = {};
      self.errors = {};
      self.focusKey = query.field ?? '';
      self.shown = [];
      this.setData({ step: def.step, stepIndex: STEP_DEFS.indexOf(def), hint: stepHint(def.step) });
      void this.load();
    },

    async load() {
      const self = this as unknown as FormState;
      this.setData({ loadState: 'loading', errorText: '' });
      try {
        const [intro, app] = await Promise.all([fetchIntro(), fetchApplication()]);
        if (!app) {
          this.setData({ loadState: 'empty' });
          return;
        }
        self.intro = intro;
        self.type = app.merchantType;
        self.saved = (app.steps[self.def.step] ?? {}) as Record<string, string>;
        self.values = { ...defaultsFor(self.def.step, self.saved, app.merchantType), ...loadUnsaved(self.def.step) };
        self.errors = rejectedReasons(app, self.def.step);
        this.setData({
          type: app.merchantType,
          locked: !app.editable,
          stepTitles: stepTitles(app.merchantType),
          hint: stepHint(self.def.step, app.merchantType),
          ...labelLayout(self.def, app.merchantType),
        });
        this.render();
        this.setData({ loadState: 'idle' });
      } catch (err) {
        this.setData({ loadState: 'error', errorText: failureOf(err).message });
      }
    },

    render() {
      const self = this as unknown as FormState;
      if (!self.intro || !self.type) return;
      const next = fieldViews(self.def, self.values, self.saved, self.errors, self.intro, self.type, self.focusKey);
      // Only what changed goes through setData: option lists are sent once, when the step renders.
      const patch = fieldsPatch(self.shown ?? [], next);
      self.shown = next;
      if (Object.keys(patch).length) this.setData(patch);
    },

    onRetry() {
      void this.load();
    },

    /** Any input: remember it (personal data only in memory) and clear that field's error. */
    setValue(key: string, value: string) {
      const self = this as unknown as FormState;
      self.values = { ...self.values, [key]: value };
      const { [key]: _cleared, ...errors } = self.errors;
      self.errors = errors;
      const keep: Record<string, string> = {};
      for (const f of self.def.fields)
        if (!f.sensitive && self.values[f.key] !== undefined) keep[f.key] = self.values[f.key];
      keepUnsaved(self.def.step, keep);
      this.render();
    },

    onFieldChange(e: WechatMiniprogram.CustomEvent<{ key: string; value: string }>) {
      this.setValue(e.detail.key, e.detail.value);
    },

    async save(complete: boolean): Promise<boolean> {
      const self = this as unknown as FormState;
      if (!self.type) return false;
      if (complete) {
        const needed = missing(self.def, self.values, self.saved, self.type);
        if (Object.keys(needed).length) {
          self.errors = { ...self.errors, ...needed };
          this.render();
          this.setData({ submitError: pt().form.fillMarked });
          return false;
        }
      }
      const patch = patchOf(self.def, self.values, self.saved, self.type);
      this.setData({ submitError: '' });
      try {
        const app = await dispatchSaveStep(self.def.step, patch);
        forgetUnsaved(self.def.step);
        self.saved = (app.steps[self.def.step] ?? {}) as Record<string, string>;
        self.values = {};
        self.errors = {};
        this.render();
        return true;
      } catch (err) {
        const failure = failureOf(err);
        if (failure.code === 'ONBOARDING.NOT_EDITABLE' || failure.code === 'ONBOARDING.NO_APPLICATION') {
          this.setData({ locked: true, submitError: failure.message });
          return false;
        }
        const prefix = `${self.def.step}.`;
        const fieldErrors: Record<string, string> = {};
        for (const [path, reason] of Object.entries(failure.fields ?? {})) {
          if (path.startsWith(prefix)) fieldErrors[path.slice(prefix.length)] = reason;
        }
        self.errors = { ...self.errors, ...fieldErrors };
        this.render();
        this.setData({ submitError: failure.message });
        if (!Object.keys(fieldErrors).length) toast(failure.message);
        return false;
      }
    },

    async onNext() {
      await guarded(this, 'saving', async () => {
        if (!(await this.save(true))) return;
        const next = STEP_DEFS[this.data.stepIndex + 1];
        if (next) await replacePage(OnboardingRoutes.form, { step: next.step });
        else await replacePage(OnboardingRoutes.documents);
      });
    },

    async onSaveDraft() {
      await guarded(this, 'saving', async () => {
        if (await this.save(false)) toast(pt().form.draftSaved, 'success');
      });
    },

    /** A dot of the step bar. */
    onOpenStep(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const index = Number(e.detail.index);
      if (index === this.data.stepIndex) return;
      if (index < STEP_DEFS.length) void replacePage(OnboardingRoutes.form, { step: STEP_DEFS[index].step });
      else void replacePage(OnboardingRoutes.documents);
    },

    onViewApplication() {
      void openPage(OnboardingRoutes.status);
    },

    onStart() {
      void replacePage(OnboardingRoutes.intro);
    },
  },
});

interface FormState {
  def: StepDef;
  intro?: OnboardingIntro;
  type?: MerchantType;
  /** What the admin typed or picked in this visit (plus unsaved input restored). */
  values: Record<string, string>;
  /** The step as saved on the server (personal data masked). */
  saved: Record<string, string>;
  errors: Record<string, string>;
  focusKey: string;
  /** The field views last sent through setData (what `fields` holds on screen). */
  shown?: FieldView[];
}

/** Rejection reasons of this step not fixed yet, shown under their fields. */
function rejectedReasons(app: ApplicationView, step: StepName): Record<string, string> {
  const out: Record<string, string> = {};
  if (app.state !== 'REJECTED') return out;
  for (const r of app.review.rejected) {
    if (r.formField?.startsWith(`${step}.`) && !r.fixed) out[r.formField.slice(step.length + 1)] = r.reason;
  }
  return out;
}
