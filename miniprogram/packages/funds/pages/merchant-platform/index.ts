// What stays on the WeChat Pay Merchant Platform (a website, not reachable
// from inside a mini program): the link can only be copied, to open it in a
// browser.
import { localized } from '../../../../behaviors/localized';
import { toast } from '../../../../services/feedback';
import { copyText } from '../../../../services/funds';
import { failureOf } from '../../../../services/transport';
import { pageTexts, pt } from '../../i18n/index';
import { MERCHANT_PLATFORM_URL } from '../../utils/routes';

Component({
  behaviors: [localized(pageTexts, (t) => t.platform.title)],

  data: {
    url: MERCHANT_PLATFORM_URL,
    tasks: [] as Array<{ key: string; title: string; description: string }>,
  },

  lifetimes: {
    attached() {
      const words = pt().platform;
      this.setData({
        tasks: [
          { key: 'invoices', title: words.invoices, description: words.invoicesDescription },
          { key: 'organisation', title: words.organisation, description: words.organisationDescription },
          { key: 'complaints', title: words.complaints, description: words.complaintsDescription },
        ],
      });
    },
  },

  methods: {
    async onCopy() {
      try {
        await copyText(MERCHANT_PLATFORM_URL);
        toast(pt().platform.copied, 'success');
      } catch (err) {
        toast(failureOf(err).message);
      }
    },
  },
});
