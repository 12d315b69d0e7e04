// What stays on the WeChat Pay Merchant Platform (a website, not reachable
// from inside a mini program): the link can only be copied, to open it in a
// browser.
import { toast } from '../../../../services/feedback';
import { copyText } from '../../../../services/funds';
import { failureOf } from '../../../../services/transport';
import { MERCHANT_PLATFORM_URL } from '../../utils/routes';

Component({
  data: {
    url: MERCHANT_PLATFORM_URL,
    tasks: [
      {
        key: 'invoices',
        title: 'Invoices for fees',
        description: 'Request VAT invoices for the fees WeChat Pay charged on your payments.',
      },
      {
        key: 'organisation',
        title: 'Organisation and admin details',
        description:
          "Change the business's registered details, its legal representative, or the merchant account's super administrator.",
      },
      {
        key: 'complaints',
        title: 'Payment complaints',
        description: 'Answer complaints buyers file about payments, and follow them up until they are closed.',
      },
    ],
  },

  methods: {
    async onCopy() {
      try {
        await copyText(MERCHANT_PLATFORM_URL);
        toast('Link copied', 'success');
      } catch (err) {
        toast(failureOf(err).message);
      }
    },
  },
});
