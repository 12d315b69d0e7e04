// Order detail: lines, amounts, state and refunds. The buyer can pay or cancel
// an unpaid order; the merchant admin can refund a paid one, fully or in part
// (confirmed first; one idempotency key per refund intent, kept across
// retries of that intent so it can never refund twice).
import { loadable } from '../../../../behaviors/loadable';
import { localized } from '../../../../behaviors/localized';
import { format, t } from '../../../../i18n/index';
import { copyText, dispatchRefund, fetchOrder } from '../../../../services/checkout';
import { confirmAction, toast } from '../../../../services/feedback';
import { openPage } from '../../../../services/navigation';
import { failureOf, newIdempotencyKey } from '../../../../services/transport';
import { guarded } from '../../../../utils/guard';
import { fenToYuan, formatFen, yuanToFen } from '../../../../shared/money';
import { pageTexts, pt } from '../../i18n/index';
import { queryValue } from '../../utils/query';
import { cancelOrderAfterConfirm } from '../../utils/cancel-order';
import { CheckoutRoutes } from '../../utils/routes';
import { type OrderView, orderView } from './view';

Component({
  behaviors: [loadable, localized(pageTexts, (texts) => texts.order.title)],

  data: {
    orderId: '',
    view: null as OrderView | null,
    reloadOnShow: true,
    cancelling: false,
    refundYuan: '',
    refundReason: '',
    refundError: '',
    refunding: false,
    /** The current refund intent's key: replaced when the amount or reason changes, or after it went through. */
    refundKey: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ orderId: queryValue(query.orderId), refundKey: newIdempotencyKey() });
      void this.load(false);
    },

    async fetchView(): Promise<OrderView> {
      return orderView(await fetchOrder(this.data.orderId));
    },

    onPay() {
      void openPage(CheckoutRoutes.pay, { orderId: this.data.orderId });
    },

    async onCancelOrder() {
      await cancelOrderAfterConfirm(this, this.data.orderId, () => this.load(true));
    },

    async onCopy(
      e: WechatMiniprogram.TouchEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { value: string }>,
    ) {
      const { value } = e.currentTarget.dataset;
      if (!value) return;
      try {
        await copyText(value);
        toast(t().common.copied, 'success');
      } catch (err) {
        toast(failureOf(err).message);
      }
    },

    onRefundAmount(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ refundYuan: e.detail.value, refundError: '', refundKey: newIdempotencyKey() });
    },

    onRefundReason(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ refundReason: e.detail.value, refundKey: newIdempotencyKey() });
    },

    onRefundAll() {
      const refundable = this.data.view?.merchant?.refundableFen ?? 0;
      this.setData({ refundYuan: fenToYuan(refundable), refundError: '', refundKey: newIdempotencyKey() });
    },

    async onRefund() {
      const refundable = this.data.view?.merchant?.refundableFen ?? 0;
      const texts = pt().order;
      const amountFen = yuanToFen(this.data.refundYuan);
      if (amountFen === null || amountFen <= 0) {
        this.setData({ refundError: texts.invalidAmount });
        return;
      }
      if (amountFen > refundable) {
        this.setData({ refundError: format(texts.tooMuch, { amount: formatFen(refundable) }) });
        return;
      }
      if (this.data.refunding) return;
      const ok = await confirmAction(
        texts.confirmTitle,
        format(texts.confirmContent, { amount: formatFen(amountFen) }),
        texts.refund,
      );
      if (!ok) return;
      await guarded(this, 'refunding', async () => {
        const reason = this.data.refundReason.trim();
        try {
          const refund = await dispatchRefund(
            { orderId: this.data.orderId, amountFen, ...(reason ? { reason } : {}) },
            this.data.refundKey,
          );
          toast(refund.state === 'SUCCESS' ? texts.refundDone : texts.refundRequested);
          this.setData({ refundYuan: '', refundReason: '', refundError: '', refundKey: newIdempotencyKey() });
        } catch (err) {
          const failure = failureOf(err);
          // A retryable failure keeps the key: trying again is the same refund.
          this.setData({
            refundError: failure.message,
            ...(failure.retryable ? {} : { refundKey: newIdempotencyKey() }),
          });
        }
        await this.load(true);
      });
    },
  },
});
