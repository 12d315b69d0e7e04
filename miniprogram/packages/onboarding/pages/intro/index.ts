// Intro: who can apply (the five merchant types and the documents each
// needs), the common requirements with how this mini program stands against
// them, and the way in: start, or continue the application under way.
import type { OnboardingIntro } from '../../../../../typings/onboarding';
import { localized } from '../../../../behaviors/localized';
import type { LoadState } from '../../../../components/load-state/index';
import { stopPullDownRefresh } from '../../../../services/feedback';
import { openPage } from '../../../../services/navigation';
import { fetchIntro } from '../../../../services/onboarding';
import { failureOf } from '../../../../services/transport';
import { applicationStateLabel } from '../../../../utils/application-state';
import { pt } from '../../i18n/index';
import { OnboardingRoutes } from '../../utils/routes';
import { introView, type IntroView } from './view';

Component({
  behaviors: [localized(pt, (x) => x.intro.title)],
  data: {
    loadState: 'loading' as LoadState,
    errorText: '',
    intro: null as OnboardingIntro | null,
    view: null as IntroView | null,
    /** Every requirement met: applying is possible. */
    eligible: false,
    applicationLabel: '',
  },

  methods: {
    onLoad() {
      void this.load();
    },

    onShow() {
      // Back from the flow: the application may have moved on.
      if (this.data.intro) void this.load(true);
    },

    async onPullDownRefresh() {
      await this.load(true);
      stopPullDownRefresh();
    },

    async load(quiet = false) {
      if (!quiet) this.setData({ loadState: 'loading', errorText: '' });
      try {
        const intro = await fetchIntro();
        this.setData({
          loadState: intro.types.length ? 'idle' : 'empty',
          intro,
          view: introView(intro),
          eligible: intro.requirements.every((r) => r.met),
          applicationLabel: intro.application ? applicationStateLabel(intro.application.state) : '',
        });
      } catch (err) {
        if (!quiet || !this.data.intro) this.setData({ loadState: 'error', errorText: failureOf(err).message });
      }
    },

    onRetry() {
      void this.load();
    },

    onStart() {
      void openPage(OnboardingRoutes.type);
    },

    onContinue() {
      void openPage(OnboardingRoutes.status);
    },
  },
});
