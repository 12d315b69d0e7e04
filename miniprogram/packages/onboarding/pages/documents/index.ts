// Documents: one card per slot the application needs (and the optional
// ones), each with its preview, upload progress and a retry that sends the
// same photo again. Choosing another photo for a slot replaces its document.
import type { ApplicationView, DocumentSlot } from '../../../../../typings/onboarding';
import type { LoadState } from '../../../../components/load-state/index';
import { toast } from '../../../../services/feedback';
import { openPage, replacePage } from '../../../../services/navigation';
import {
  type ChosenImage,
  chooseImage,
  dispatchUploadDocument,
  fetchApplication,
  fetchDocumentPreview,
  MAX_IMAGE_BYTES,
  readImageBase64,
} from '../../../../services/onboarding';
import { failureOf } from '../../../../services/transport';
import { STEP_DEFS, SLOT_LABELS } from '../../utils/fields';
import { OnboardingRoutes } from '../../utils/routes';

export interface SlotView {
  slot: DocumentSlot;
  label: string;
  required: boolean;
  uploaded: boolean;
  sizeText: string;
  /** A local temp path or a data: URI. */
  preview: string;
  /** 0-100 while uploading, -1 otherwise. */
  progress: number;
  error: string;
  /** The rejection reason of this document, if WeChat Pay rejected it. */
  rejected: string;
}

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

function slotViews(app: ApplicationView, previous: SlotView[]): SlotView[] {
  return app.documentSlots.map(({ slot, required }) => {
    const doc = app.documents[slot];
    const before = previous.find((s) => s.slot === slot);
    const rejected =
      app.state === 'REJECTED'
        ? app.review.rejected.find((r) => r.formField === `documents.${slot}` && !r.fixed)
        : undefined;
    return {
      slot,
      label: SLOT_LABELS[slot] ?? slot,
      required,
      uploaded: !!doc,
      sizeText: doc ? sizeText(doc.bytes) : '',
      preview: doc ? (before?.preview ?? '') : '',
      progress: -1,
      error: '',
      rejected: rejected?.reason ?? '',
    };
  });
}

Component({
  data: {
    loadState: 'loading' as LoadState,
    errorText: '',
    slots: [] as SlotView[],
    editable: true,
    stepIndex: STEP_DEFS.length,
    stepTitles: [...STEP_DEFS.map((s) => s.title), 'Documents'],
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

    async onChoose(
      e: WechatMiniprogram.TouchEvent<
        WechatMiniprogram.IAnyObject,
        WechatMiniprogram.IAnyObject,
        { slot: DocumentSlot }
      >,
    ) {
      const slot = e.currentTarget.dataset.slot;
      const current = this.data.slots.find((s) => s.slot === slot);
      if (!current || current.progress >= 0 || !this.data.editable) return;
      let image: ChosenImage | null;
      try {
        image = await chooseImage();
      } catch (err) {
        // The platform's errMsg is for the logs; people get what to do next.
        console.warn('chooseImage failed', failureOf(err).detail ?? err);
        toast('Could not open the photo. Try again, or choose another one.');
        return;
      }
      if (!image) return;
      if (image.size > MAX_IMAGE_BYTES) {
        this.patchSlot(slot, {
          error: `This photo is ${sizeText(image.size)}; the limit is 2 MB. Take it again closer or at a lower resolution.`,
        });
        return;
      }
      (this as unknown as { pending: Record<string, string> }).pending = {
        ...(this as unknown as { pending?: Record<string, string> }).pending,
        [slot]: image.path,
      };
      await this.upload(slot, image.path);
    },

    async upload(slot: DocumentSlot, path: string) {
      this.patchSlot(slot, { progress: 10, error: '', preview: path });
      try {
        const content = await readImageBase64(path);
        this.patchSlot(slot, { progress: 40 });
        await dispatchUploadDocument(slot, content);
        this.patchSlot(slot, { progress: 100 });
        const app = await fetchApplication();
        // Only this slot changes: the others may be uploading (their progress and errors stay).
        if (app) {
          const fresh = slotViews(app, this.data.slots).find((s) => s.slot === slot);
          if (fresh) this.patchSlot(slot, { ...fresh, preview: path });
          this.setData({ editable: app.editable, complete: app.complete.documents });
        } else {
          this.patchSlot(slot, { progress: -1, preview: path });
        }
      } catch (err) {
        this.patchSlot(slot, { progress: -1, error: failureOf(err).message });
      }
    },

    /** Sends the same photo again after a failed upload. */
    async onRetryUpload(
      e: WechatMiniprogram.TouchEvent<
        WechatMiniprogram.IAnyObject,
        WechatMiniprogram.IAnyObject,
        { slot: DocumentSlot }
      >,
    ) {
      const slot = e.currentTarget.dataset.slot;
      const path = (this as unknown as { pending?: Record<string, string> }).pending?.[slot];
      if (path) await this.upload(slot, path);
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
        this.setData({ submitError: 'Upload every required document first' });
        return;
      }
      void replacePage(OnboardingRoutes.review);
    },

    onOpenStep(
      e: WechatMiniprogram.TouchEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { index: number }>,
    ) {
      const index = Number(e.currentTarget.dataset.index);
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
