// An amount of money: integer fen in, "¥123.45" out (shared/money.ts does the
// formatting so services and pages show the same text).
import { formatFen } from '../../shared/money';

Component({
  externalClasses: ['amount-class'],
  properties: {
    /** Integer fen. */
    fen: { type: Number, value: 0 },
    /** "+" on positive amounts, for movements. */
    sign: { type: Boolean, value: false },
    grouping: { type: Boolean, value: true },
    size: { type: String, value: 'medium' },
  },
  data: {
    text: '',
    negative: false,
  },
  observers: {
    'fen, sign, grouping'() {
      this.format();
    },
  },
  lifetimes: {
    attached() {
      this.format();
    },
  },
  methods: {
    format() {
      const { fen, sign, grouping } = this.data;
      // A bad amount is a bug upstream; show a dash rather than break the page.
      const text = Number.isSafeInteger(fen) ? formatFen(fen, { sign, grouping }) : '—';
      this.setData({ text, negative: fen < 0 });
    },
  },
});
