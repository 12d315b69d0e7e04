// Type choice: the five merchant types with what each needs. Continuing
// opens the draft with that type (or changes the type of the open draft),
// then the form begins.
import type { MerchantType } from '../../../../../typings/onboarding';
import { localized } from '../../../../behaviors/localized';
import type { LoadState } from '../../../../components/load-state/index';
import { toast } from '../../../../services/feedback';
import { openPage, replacePage } from '../../../../services/navigation';
import { dispatchChooseType, fetchIntro } from '../../../../services/onboarding';
import { failureOf, newIdempotencyKey } from '../../../../services/transport';
import { guarded } from '../../../../utils/guard';
import type { ErrorCode } from '../../../../shared/errors';
import { pt } from '../../i18n/index';
import { merchantTypeDefinition, merchantTypeTitle } from '../../utils/fields';
import { OnboardingRoutes } from '../../utils/routes';

interface TypeOption {
  type: MerchantType;
  title: string;
  definition: string;
}

/** Refusals that no retry fixes: the application cannot (or can no longer) take a type. */
const FINAL = new Set<ErrorCode>([
  'ONBOARDING.ALREADY_BOUND',
  'ONBOARDING.DUPLICATE_APPLICATION',
  'ONBOARDING.NOT_EDITABLE',
  'ONBOARDING.OVERSEAS_ENTITY',
  'ONBOARDING.FEE_RATE_TOO_HIGH',
  'ONBOARDING.NOT_DIRECT_CONNECTION',
  'AUTH.THIRD_PARTY_PLATFORM',
  'AUTH.FORBIDDEN',
]);

Component({
  behaviors: [localized(pt, (x) => x.type.title)],
  data: {
    loadState: 'loading' as LoadState,
    errorText: '',
    types: [] as TypeOption[],
    selected: '' as MerchantType | '',
    /** One per visit and type: a retried tap opens the same draft. */
    key: '',
    saving: false,
    submitError: '',
    blocked: false,
  },

  methods: {
    onLoad() {
      void this.load();
    },

    async load() {
      this.setData({ loadState: 'loading', errorText: '' });
      try {
        const intro = await fetchIntro();
        this.setData({
          loadState: intro.types.length ? 'idle' : 'empty',
          types: intro.types.map(({ type }) => ({
            type,
            title: merchantTypeTitle(type),
            definition: merchantTypeDefinition(type),
          })),
          selected: intro.application?.merchantType ?? '',
          key: newIdempotencyKey(),
        });
      } catch (err) {
        this.setData({ loadState: 'error', errorText: failureOf(err).message });
      }
    },

    onRetry() {
      void this.load();
    },

    onSelect(
      e: WechatMiniprogram.TouchEvent<
        WechatMiniprogram.IAnyObject,
        WechatMiniprogram.IAnyObject,
        { type: MerchantType }
      >,
    ) {
      const type = e.currentTarget.dataset.type;
      if (type !== this.data.selected) this.setData({ selected: type, key: newIdempotencyKey(), submitError: '' });
    },

    async onContinue() {
      const type = this.data.selected;
      if (!type) {
        this.setData({ submitError: pt().type.chooseFirst });
        return;
      }
      await guarded(this, 'saving', async () => {
        this.setData({ submitError: '' });
        try {
          await dispatchChooseType(type, this.data.key);
        } catch (err) {
          const failure = failureOf(err);
          this.setData({ submitError: failure.message, blocked: FINAL.has(failure.code) });
          if (!FINAL.has(failure.code)) toast(failure.message);
          return;
        }
        await openPage(OnboardingRoutes.form, { step: 'subject' });
      });
    },

    onViewApplication() {
      void replacePage(OnboardingRoutes.status);
    },
  },
});
