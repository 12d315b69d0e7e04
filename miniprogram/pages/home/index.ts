// Home: who the caller is, the mini program's merchant account (or the way to
// get one), and the entries to the three flows. A buyer who holds the setup
// code can claim the merchant admin role here.
import type { LoadState } from '../../components/load-state/index';
import { toast, stopPullDownRefresh } from '../../services/feedback';
import { dispatchClaimAdmin, fetchStatus } from '../../services/merchant';
import { openPage, Routes } from '../../services/navigation';
import { failureOf } from '../../services/transport';
import { guarded } from '../../utils/guard';
import { homeView, type HomeView } from './view';

Component({
  data: {
    loadState: 'loading' as LoadState,
    errorText: '',
    view: null as HomeView | null,
    claimVisible: false,
    claimCode: '',
    claimError: '',
    claiming: false,
  },

  methods: {
    onLoad() {
      void this.load(false);
    },

    onShow() {
      // Back from a flow: the account or application may have moved on.
      if (this.data.view) void this.load(true);
    },

    async onPullDownRefresh() {
      await this.load(true);
      stopPullDownRefresh();
    },

    /** `quiet` keeps what is on screen while refreshing and only toasts a failure. */
    async load(quiet: boolean) {
      if (!quiet) this.setData({ loadState: 'loading', errorText: '' });
      try {
        const status = await fetchStatus();
        this.setData({ loadState: 'idle', view: homeView(status) });
      } catch (err) {
        const failure = failureOf(err);
        if (quiet && this.data.view) toast(failure.message);
        else this.setData({ loadState: 'error', errorText: failure.message });
      }
    },

    onRetry() {
      void this.load(false);
    },

    onApply() {
      void openPage(Routes.onboardingIntro);
    },

    onOpenEntry(e: WechatMiniprogram.TouchEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { key: string }>) {
      const entry = this.data.view?.entries.find((item) => item.key === e.currentTarget.dataset.key);
      if (entry) void openPage(entry.url);
    },

    onOpenClaim() {
      this.setData({ claimVisible: true, claimCode: '', claimError: '' });
    },

    onClaimInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ claimCode: e.detail.value, claimError: '' });
    },

    onCancelClaim() {
      if (!this.data.claiming) this.setData({ claimVisible: false });
    },

    async onConfirmClaim() {
      const code = this.data.claimCode.trim();
      if (!code) {
        this.setData({ claimError: 'Enter the setup code' });
        return;
      }
      await guarded(this, 'claiming', async () => {
        try {
          await dispatchClaimAdmin(code);
        } catch (err) {
          this.setData({ claimError: failureOf(err).message });
          return;
        }
        this.setData({ claimVisible: false });
        toast('You are now the merchant admin', 'success');
        await this.load(true);
      });
    },
  },
});
