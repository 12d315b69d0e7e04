// Home: who the caller is, the mini program's merchant account (or the way to
// get one), and the entries to the three flows. A buyer who holds the setup
// code can claim the merchant admin role here.
import { loadable } from '../../behaviors/loadable';
import { localized } from '../../behaviors/localized';
import { type Lang, lang, setLang, t } from '../../i18n';
import { toast } from '../../services/feedback';
import { dispatchClaimAdmin, fetchStatus } from '../../services/merchant';
import { goHome, openPage, Routes } from '../../services/navigation';
import { failureOf } from '../../services/transport';
import { guarded } from '../../utils/guard';
import { homeView, type HomeView } from './view';

Component({
  behaviors: [loadable, localized(t, (texts) => texts.home.title)],

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
        this.setData({ claimError: t().home.claimEmpty });
        return;
      }
      // The backend takes 4 characters or more; a shorter code is refused here without a call.
      if (code.length < 4) {
        this.setData({ claimError: t().home.claimTooShort });
        return;
      }
      await guarded(this, 'claiming', async () => {
        try {
          await dispatchClaimAdmin(code);
        } catch (err) {
          // AUTH.CLAIM_LOCKED words its details.retryAt as a Beijing time.
          this.setData({ claimError: failureOf(err).message });
          return;
        }
        this.setData({ claimVisible: false });
        toast(t().home.claimed, 'success');
        await this.load(true);
      });
    },

    /** Language: the user's choice outlives the session; every page is rebuilt in it. */
    onChooseLanguage() {
      const choices: Lang[] = ['zh-CN', 'en-US'];
      wx.showActionSheet({
        alertText: t().language.title,
        itemList: choices.map((choice) => t().language[choice]),
        success: ({ tapIndex }) => {
          const chosen = choices[tapIndex];
          if (!chosen || chosen === lang()) return;
          setLang(chosen);
          goHome();
        },
      });
    },
  },
});
