// Documents: one card per slot the application needs (and the optional
// ones), each with its preview, its upload's real progress (the platform's
// UploadTask events), its own error and a retry that sends the same photo
// again. Choosing another photo for a slot replaces its document.
import type { ApplicationView, DocumentSlot, MerchantType } from '../../../../../typings/onboarding';
import { localized } from '../../../../behaviors/localized';
import type { LoadState } from '../../../../components/load-state/index';
import { format } from '../../../../i18n/index';
import { toast } from '../../../../services/feedback';
import { openPage, replacePage } from '../../../../services/navigation';
import {
  type ChosenImage,
  chooseImage,
  fetchApplication,
  fetchDocumentPreview,
  MAX_IMAGE_BYTES,
  type UploadStage,
  uploadDocumentPhoto,
} from '../../../../services/onboarding';
import { type ApiFailure, failureOf } from '../../../../services/transport';
import { pt } from '../../i18n/index';
import { STEP_DEFS, slotLabel, stepTitles } from '../../utils/fields';
import { OnboardingRoutes } from '../../utils/routes';

export interface SlotView {
  slot: DocumentSlot;
  label: string;
  required: boolean;
  uploaded: boolean;
  /** The tag: uploaded with its size, required or optional. */
  tag: string;
  tagTheme: 'success' | 'warning' | 'default';
  /** A local temp path or a data: URI. */
  preview: string;
  /** 0-100 while uploading (the platform's own figure), -1 otherwise. */
  progress: number;
  /** An upload of this slot is under way (progress >= 0). */
  busy: boolean;
  /** What the upload is doing ("正在上传 40%", then "正在校验图片…"), while it runs. */
  stageText: string;
  error: string;
  /** Whether sending the same photo again may help (a dropped connection, not a refused image). */
  retryable: boolean;
  /** The rejection reason of this document, if WeChat Pay rejected it. */
  rejected: string;
  /** Accessible names of the card's controls. */
  chooseLabel: string;
  retryLabel: string;
  showLabel: string;
  photoLabel: string;
  progressLabel: string;
}

const texts = () => pt().documents;

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? format(texts().megabytes, { size: (bytes / 1024 / 1024).toFixed(1) })
    : format(texts().kilobytes, { size: Math.max(1, Math.round(bytes / 1024)) });

/** The words a slot's card needs, from its label and state. */
function slotWords(label: string, uploaded: boolean, required: boolean, bytes: number) {
  const w = texts();
  const document = label;
  return {
    tag: uploaded ? format(w.uploaded, { size: sizeText(bytes) }) : required ? w.required : w.optional,
    tagTheme: (uploaded ? 'success' : required ? 'warning' : 'default') as SlotView['tagTheme'],
    chooseLabel: format(uploaded ? w.replaceLabel : w.chooseLabel, { document }),
    retryLabel: format(w.retryLabel, { document }),
    showLabel: format(w.showLabel, { document }),
    photoLabel: format(w.photoLabel, { document }),
  };
}

function slotViews(app: ApplicationView, previous: SlotView[]): SlotView[] {
  return app.documentSlots.map(({ slot, required }) => {
    const doc = app.documents[slot];
    const before = previous.find((s) => s.slot === slot);
    const rejected =
      app.state === 'REJECTED'
        ? app.review.rejected.find((r) => r.formField === `documents.${slot}` && !r.fixed)
        : undefined;
    const label = slotLabel(slot, app.merchantType);
    return {
      slot,
      label,
      required,
      uploaded: !!doc,
      ...slotWords(label, !!doc, required, doc?.bytes ?? 0),
      preview: doc ? (before?.preview ?? '') : '',
      progress: -1,
      busy: false,
      stageText: '',
      progressLabel: '',
      error: '',
      retryable: false,
      rejected: rejected ? format(texts().rejected, { reason: rejected.reason }) : '',
    };
  });
}

/** Photos chosen in this visit, by slot: what Retry sends again (never kept beyond the page). */
type Pending = Partial<Record<DocumentSlot, string>>;

Component({
  // The flow's title, as on the form's steps; the step bar names this step (上传材料).
  behaviors: [localized(pt, (x) => x.form.title)],

  data: {
    loadState: 'loading' as LoadState,
    errorText: '',
    slots: [] as SlotView[],
    editable: true,
    merchantType: '' as MerchantType | '',
    stepIndex: STEP_DEFS.length,
    stepTitles: [] as string[],
    complete: false,
    submitError: '',
    /** The slot a rejection reason pointed at (?field=licence). */
    focus: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ focus: query.field ?? '' });
      void this.load();
    },

    async load() {
      this.setData({ loadState: 'loading', errorText: '' });
      try {
        const app = await fetchApplication();
        if (!app) {
          this.setData({ loadState: 'empty' });
          return;
        }
        this.show(app);
        this.setData({ loadState: 'idle' });
      } catch (err) {
        this.setData({ loadState: 'error', errorText: failureOf(err).message });
      }
    },

    show(app: ApplicationView) {
      this.setData({
        slots: slotViews(app, this.data.slots),
        editable: app.editable,
        merchantType: app.merchantType,
        stepTitles: stepTitles(app.merchantType),
        complete: app.complete.documents,
      });
    },

    onRetry() {
      void this.load();
    },

    patchSlot(slot: DocumentSlot, patch: Partial<SlotView>) {
      const index = this.data.slots.findIndex((s) => s.slot === slot);
      if (index < 0) return;
      const update: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(patch)) update[`slots[${index}].${k}`] = v;
      this.setData(update);
    },

    pending(): Pending {
      const self = this as unknown as { chosen?: Pending };
      self.chosen ??= {};
      return self.chosen;
    },

    async onChoose(
      e: WechatMiniprogram.TouchEvent<
        WechatMiniprogram.IAnyObject,
        WechatMiniprogram.IAnyObject,
        { slot: DocumentSlot }
      >,
    ) {
      const slot = e.currentTarget.dataset.slot;
      const current = this.data.slots.find((s) => s.slot === slot);
      if (!current || current.busy || !this.data.editable) return;
      let image: ChosenImage | null;
      try {
        image = await chooseImage();
      } catch (err) {
        // The platform's errMsg is for the logs; people get what to do next.
        console.warn('chooseImage failed', failureOf(err).detail ?? err);
        toast(texts().pickerFailed);
        return;
      }
      if (!image) return;
      if (image.size > MAX_IMAGE_BYTES) {
        this.patchSlot(slot, {
          error: format(texts().tooLarge, { size: sizeText(image.size) }),
          retryable: false,
        });
        return;
      }
      this.pending()[slot] = image.path;
      await this.upload(slot, image.path);
    },

    stage(slot: DocumentSlot, label: string, stage: UploadStage) {
      const w = texts();
      const percent = stage.stage === 'sending' ? stage.progress.percent : 100;
      this.patchSlot(slot, {
        progress: percent,
        busy: true,
        stageText: stage.stage === 'sending' ? format(w.sending, { percent }) : w.checking,
        progressLabel: format(w.progressLabel, { document: label, percent }),
      });
    },

    async upload(slot: DocumentSlot, path: string) {
      const label = this.data.slots.find((s) => s.slot === slot)?.label ?? slot;
      this.patchSlot(slot, { error: '', retryable: false, preview: path });
      this.stage(slot, label, { stage: 'sending', progress: { percent: 0, sentBytes: 0, totalBytes: 0 } });
      try {
        await uploadDocumentPhoto(slot, path, (stage) => this.stage(slot, label, stage));
        const app = await fetchApplication();
        // Only this slot changes: the others may be uploading (their progress and errors stay).
        if (app) {
          const fresh = slotViews(app, this.data.slots).find((s) => s.slot === slot);
          if (fresh) this.patchSlot(slot, { ...fresh, preview: path });
          this.setData({ editable: app.editable, complete: app.complete.documents, submitError: '' });
        } else {
          this.patchSlot(slot, { progress: -1, busy: false, stageText: '', preview: path });
        }
      } catch (err) {
        const failure = failureOf(err);
        this.patchSlot(slot, {
          progress: -1,
          busy: false,
          stageText: '',
          error: failure.message,
          retryable: retryable(failure),
        });
      }
    },

    /** Sends the same photo again after a failed upload (from the start: a new path, a new upload). */
    async onRetryUpload(
      e: WechatMiniprogram.TouchEvent<
        WechatMiniprogram.IAnyObject,
        WechatMiniprogram.IAnyObject,
        { slot: DocumentSlot }
      >,
    ) {
      const slot = e.currentTarget.dataset.slot;
      const path = this.pending()[slot];
      const current = this.data.slots.find((s) => s.slot === slot);
      if (path && current && !current.busy) await this.upload(slot, path);
    },

    /** Shows a document uploaded in an earlier visit (the photo itself is not kept on the phone). */
    async onShowPreview(
      e: WechatMiniprogram.TouchEvent<
        WechatMiniprogram.IAnyObject,
        WechatMiniprogram.IAnyObject,
        { slot: DocumentSlot }
      >,
    ) {
      const slot = e.currentTarget.dataset.slot;
      try {
        const doc = await fetchDocumentPreview(slot);
        this.patchSlot(slot, { preview: `data:${doc.contentType};base64,${doc.content}` });
      } catch (err) {
        toast(failureOf(err).message);
      }
    },

    onNext() {
      if (!this.data.complete) {
        this.setData({ submitError: texts().missing });
        return;
      }
      void replacePage(OnboardingRoutes.review);
    },

    onOpenStep(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const index = Number(e.detail.index);
      if (index < STEP_DEFS.length) void replacePage(OnboardingRoutes.form, { step: STEP_DEFS[index].step });
    },

    onStart() {
      void replacePage(OnboardingRoutes.intro);
    },

    onViewApplication() {
      void openPage(OnboardingRoutes.status);
    },
  },
});

/** A dropped connection or a lost upload is worth sending again as is; a refused image is not. */
function retryable(failure: ApiFailure): boolean {
  return failure.retryable || failure.code === 'ONBOARDING.UPLOAD_NOT_FOUND';
}
