// Review before submitting: the whole application as it will be sent
// (personal data masked), every problem with a link to fix it, and Submit.
// One idempotency key per visit: a retried tap after a dropped answer is the
// same submission.
import type { ApplicationView } from '../../../../../typings/onboarding';
import { localized } from '../../../../behaviors/localized';
import type { LoadState } from '../../../../components/load-state/index';
import { toast } from '../../../../services/feedback';
import { openPage, replacePage } from '../../../../services/navigation';
import { dispatchSubmit, fetchApplication, fetchIntro } from '../../../../services/onboarding';
import { failureOf, newIdempotencyKey } from '../../../../services/transport';
import { guarded } from '../../../../utils/guard';
import { pt } from '../../i18n/index';
import { OnboardingRoutes } from '../../utils/routes';
import { fixLocation, type Problem, problemOf, problemsTitle, reviewView, type ReviewView } from './view';

Component({
  behaviors: [localized(pt, (x) => x.review.title)],
  data: {
    loadState: 'loading' as LoadState,
    errorText: '',
    view: null as ReviewView | null,
    editable: true,
    key: '',
    submitting: false,
    submitError: '',
  },

  methods: {
    onLoad() {
      this.setData({ key: newIdempotencyKey() });
      void this.load();
    },

    onShow() {
      // Back from fixing a field: show the application as it is now.
      if (this.data.view) void this.load(true);
    },

    async load(quiet = false) {
      if (!quiet) this.setData({ loadState: 'loading', errorText: '' });
      try {
        const [intro, app] = await Promise.all([fetchIntro(), fetchApplication()]);
        if (!app) {
          this.setData({ loadState: 'empty' });
          return;
        }
        this.show(app, intro);
      } catch (err) {
        if (!quiet || !this.data.view) this.setData({ loadState: 'error', errorText: failureOf(err).message });
        else toast(failureOf(err).message);
      }
    },

    show(app: ApplicationView, intro: Parameters<typeof reviewView>[1]) {
      this.setData({ loadState: 'idle', view: reviewView(app, intro), editable: app.editable });
    },

    onRetry() {
      void this.load();
    },

    onFix(
      e: WechatMiniprogram.TouchEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { path: string }>,
    ) {
      const { url, query } = fixLocation(e.currentTarget.dataset.path);
      void openPage(url === 'form' ? OnboardingRoutes.form : OnboardingRoutes.documents, query);
    },

    onEdit(
      e: WechatMiniprogram.TouchEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { step: string }>,
    ) {
      void openPage(OnboardingRoutes.form, { step: e.currentTarget.dataset.step });
    },

    onEditDocuments() {
      void openPage(OnboardingRoutes.documents);
    },

    async onSubmit() {
      if (this.data.view?.problems.length) {
        this.setData({ submitError: pt().review.fixFirst });
        return;
      }
      await guarded(this, 'submitting', async () => {
        this.setData({ submitError: '' });
        try {
          await dispatchSubmit(this.data.key);
        } catch (err) {
          const failure = failureOf(err);
          const view = this.data.view;
          if (failure.fields && Object.keys(failure.fields).length && view) {
            // The backend judged again (an ID may have expired since): list what it found, in the user's words.
            const problems: Problem[] = Object.entries(failure.fields).map(([path, reason]) =>
              problemOf(path, reason, view.type),
            );
            this.setData({ 'view.problems': problems, 'view.problemsTitle': problemsTitle(problems.length) });
          }
          this.setData({ submitError: failure.message });
          toast(failure.message);
          return;
        }
        await replacePage(OnboardingRoutes.status);
      });
    },

    onStart() {
      void replacePage(OnboardingRoutes.intro);
    },

    onViewApplication() {
      void replacePage(OnboardingRoutes.status);
    },
  },
});
