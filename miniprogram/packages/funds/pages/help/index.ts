// Questions merchants ask about payment management, answered in our words
// (the original service's FAQ, and what the funds pages do). Tapping a
// question opens its answer.
import { localized } from '../../../../behaviors/localized';
import { openPage } from '../../../../services/navigation';
import { pageTexts, pt } from '../../i18n/index';
import { FundsRoutes } from '../../utils/routes';

interface Question {
  key: string;
  q: string;
  a: string;
}

function questions(): Question[] {
  const faq = pt().help.faq;
  // The keys name the questions in tests and class names, in this order on screen.
  return [
    { key: 'why', ...faq.why },
    { key: 'bind', ...faq.bind },
    { key: 'old-binding', ...faq.oldBinding },
    { key: 'third-party', ...faq.thirdParty },
    { key: 'pending', ...faq.pending },
    { key: 'withdraw', ...faq.withdraw },
    { key: 'bank', ...faq.bank },
    { key: 'discontinued', ...faq.discontinued },
    { key: 'platform', ...faq.platform },
  ];
}

Component({
  behaviors: [localized(pageTexts, (t) => t.help.title)],

  data: {
    questions: [] as Question[],
    open: '' as string,
  },

  lifetimes: {
    attached() {
      this.setData({ questions: questions() });
    },
  },

  methods: {
    onToggle(
      e: WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { key: string }>,
    ) {
      const key = e.currentTarget.dataset.key;
      this.setData({ open: this.data.open === key ? '' : key });
    },

    onPlatform() {
      void openPage(FundsRoutes.merchantPlatform);
    },
  },
});
