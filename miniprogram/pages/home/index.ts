// Home: who the caller is, the mini program's merchant account (or the way to
// get one), and the entries to the three flows. A buyer who holds the setup
// code can claim the merchant admin role here.
import { loadable } from '../../behaviors/loadable';
import { toast } from '../../services/feedback';
import { dispatchClaimAdmin, fetchStatus } from '../../services/merchant';
import { openPage, Routes } from '../../services/navigation';
import { failureOf } from '../../services/transport';
import { guarded } from '../../utils/guard';
import { claimErrorText, homeView, type HomeView } from './view';

Component({
  behaviors: [loadable],

  data: {
    view: null as HomeView | null,
    // Back from a flow: the account or application may have moved on.
    reloadOnShow: true,
    claimVisible: false,
    claimCode: '',
    claimError: '',
    claiming: false,
  },

  methods: {
    async fetchView(): Promise<HomeView> {
      return homeView(await fetchStatus());
    },

    onApply() {
      void openPage(Routes.onboardingIntro);
    },

    onOpenEntry(
      e: WechatMiniprogram.TouchEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { key: string }>,
    ) {
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
      // The backend takes 4 characters or more; a shorter code is refused here without a call.
      if (code.length < 4) {
        this.setData({ claimError: 'The setup code has at least 4 characters' });
        return;
      }
      await guarded(this, 'claiming', async () => {
        try {
          await dispatchClaimAdmin(code);
        } catch (err) {
          // AUTH.CLAIM_LOCKED carries details.retryAt: shown as a time, not as a generic error.
          this.setData({ claimError: claimErrorText(failureOf(err)) });
          return;
        }
        this.setData({ claimVisible: false });
        toast('You are now the merchant admin', 'success');
        await this.load(true);
      });
    },
  },
});
