// Questions merchants ask about payment management, answered in our words
// (the original service's FAQ, and what the funds pages do). Tapping a
// question opens its answer.
import { openPage } from '../../../../services/navigation';
import { FundsRoutes } from '../../utils/routes';

interface Question {
  key: string;
  q: string;
  a: string;
}

const QUESTIONS: Question[] = [
  {
    key: 'why',
    q: 'Why does my mini program have payment management?',
    a: 'It keeps buying and getting paid inside the mini program: buyers pay in a dedicated checkout and you follow the money here. WeChat offered it to some newly registered mini programs that sell goods online.',
  },
  {
    key: 'bind',
    q: 'How do I bind a merchant account?',
    a: 'You do not bind one yourself. Apply for a merchant account from the home page; once WeChat Pay approves it, it is linked to this mini program automatically.',
  },
  {
    key: 'old-binding',
    q: 'Where did the old WeChat Pay binding page go? Can I use my existing merchant account?',
    a: 'Payment management does not use the old binding page, and accounts applied for elsewhere cannot be used here. Apply for a new account dedicated to this mini program through payment management.',
  },
  {
    key: 'third-party',
    q: 'A third-party platform runs my mini program. Can it use payment management?',
    a: 'No. Mini programs operated through an authorised third-party platform are not included, and their calls are refused.',
  },
  {
    key: 'pending',
    q: 'Why is money pending and not available?',
    a: "A payment becomes available after the settlement period: by default the next day (T+1, counted in Beijing calendar days), less WeChat Pay's fee and any refunds.",
  },
  {
    key: 'withdraw',
    q: 'How do withdrawals work?',
    a: 'You can withdraw up to your available balance, once a day, to the bank account in use. Each withdrawal is confirmed with an identity check before any money moves. If the bank does not accept it, the money comes back to your available balance.',
  },
  {
    key: 'bank',
    q: 'How do I change the bank account?',
    a: "Submit the new account on the bank account page. WeChat Pay reviews it; until it is approved, the old account keeps receiving withdrawals. The account must be in your entity's name (a personal account only for an individual business, in the operator's name), and it can be changed at most 5 times a day.",
  },
  {
    key: 'discontinued',
    q: 'What happens if payment management is discontinued?',
    a: 'Buyers go back to paying through regular WeChat Pay. Your balances, withdrawals and bank account stay here.',
  },
  {
    key: 'platform',
    q: 'Where do I get fee invoices, change organisation details or handle complaints?',
    a: 'On the WeChat Pay Merchant Platform, not in the mini program.',
  },
];

Component({
  data: {
    questions: QUESTIONS,
    open: '' as string,
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
