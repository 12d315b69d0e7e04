// Application status: the steps to a bound account, and for each state what
// to do: continue the draft, fix what WeChat Pay rejected (each reason opens
// its field), verify the account, open the signing link, or see the bound
// merchant account. While WeChat Pay is working it asks for news every
// 15 seconds.
import { localized } from '../../../../behaviors/localized';
import type { LoadState } from '../../../../components/load-state/index';
import { confirmAction, stopPullDownRefresh, toast } from '../../../../services/feedback';
import { openPage, replacePage } from '../../../../services/navigation';
import { copyText, dispatchCancel, dispatchRefresh, fetchApplication } from '../../../../services/onboarding';
import { failureOf, newIdempotencyKey } from '../../../../services/transport';
import { guarded } from '../../../../utils/guard';
import { pt } from '../../i18n/index';
import { OnboardingRoutes } from '../../utils/routes';
import { stages, statusView, type StatusView } from './view';

export const AUTO_REFRESH_MS = 15_000;

interface Timer {
  timer?: ReturnType<typeof setInterval>;
}

Component({
  behaviors: [localized(pt, (x) => x.status.title)],
  data: {
    loadState: 'loading' as LoadState,
    errorText: '',
    stages: [] as ReturnType<typeof stages>,
    view: null as StatusView | null,
    refreshing: false,
    canceling: false,
  },

  lifetimes: {
    detached() {
      this.stopAuto();
    },
  },

  methods: {
    onLoad() {
      this.setData({ stages: stages() });
      void this.load();
    },

    onShow() {
      if (this.data.view) void this.load(true);
      this.startAuto();
    },

    onHide() {
      this.stopAuto();
    },

    onUnload() {
      this.stopAuto();
    },

    async onPullDownRefresh() {
      await this.refresh();
      stopPullDownRefresh();
    },

    startAuto() {
      const self = this as unknown as Timer;
      if (self.timer) return;
      self.timer = setInterval(() => {
        if (this.data.view?.underReview) void this.refresh(true);
      }, AUTO_REFRESH_MS);
    },

    stopAuto() {
      const self = this as unknown as Timer;
      if (self.timer) clearInterval(self.timer);
      self.timer = undefined;
    },

    async load(quiet = false) {
      if (!quiet) this.setData({ loadState: 'loading', errorText: '' });
      try {
        const app = await fetchApplication();
        if (!app) this.setData({ loadState: 'empty', view: null });
        else this.setData({ loadState: 'idle', view: statusView(app) });
      } catch (err) {
        if (!quiet || !this.data.view) this.setData({ loadState: 'error', errorText: failureOf(err).message });
      }
    },

    onRetry() {
      void this.load();
    },

    /** Asks WeChat Pay now. `quiet`: the timer's ask, which never bothers the admin with a toast. */
    async refresh(quiet = false) {
      if (!this.data.view?.underReview) return this.load(true);
      await guarded(this, 'refreshing', async () => {
        try {
          const app = await dispatchRefresh();
          this.setData({ loadState: 'idle', view: statusView(app) });
        } catch (err) {
          if (!quiet) toast(failureOf(err).message);
        }
      });
    },

    onRefresh() {
      void this.refresh();
    },

    onFix(
      e: WechatMiniprogram.TouchEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { index: number }>,
    ) {
      const reason = this.data.view?.reasons[Number(e.currentTarget.dataset.index)];
      if (!reason) return;
      if (!reason.fix) void openPage(OnboardingRoutes.review);
      else
        void openPage(reason.fix.url === 'form' ? OnboardingRoutes.form : OnboardingRoutes.documents, reason.fix.query);
    },

    onContinue() {
      void openPage(OnboardingRoutes.review);
    },

    async onCopySignUrl() {
      if (this.data.view?.signUrl && (await copyText(this.data.view.signUrl))) toast(pt().status.signCopied);
    },

    async onCopyAccount() {
      if (this.data.view?.validation && (await copyText(this.data.view.validation.destination)))
        toast(pt().status.accountCopied);
    },

    async onCancel() {
      const words = pt().status;
      if (!(await confirmAction(words.cancelTitle, words.cancelContent, words.cancelConfirm))) return;
      await guarded(this, 'canceling', async () => {
        try {
          await dispatchCancel(newIdempotencyKey());
        } catch (err) {
          toast(failureOf(err).message);
          return;
        }
        toast(words.canceled);
        await replacePage(OnboardingRoutes.intro);
      });
    },

    onStart() {
      void replacePage(OnboardingRoutes.intro);
    },

    onFunds() {
      void openPage(OnboardingRoutes.funds);
    },
  },
});
