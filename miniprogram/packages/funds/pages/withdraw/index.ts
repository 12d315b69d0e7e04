// Withdraw: an amount (or "all" of available), then the admin's identity
// check, then the result. The request moves nothing; only the confirmed
// check moves money (see cloudfunctions/core/domain/funds/withdrawal.ts).
// Opened with ?id= it shows that withdrawal's result and progress.
import type { IdentityChallenge, IdentityProof, WithdrawalView } from '../../../../../typings/funds';
import type { LoadState } from '../../../../components/load-state/index';
import { localized } from '../../../../behaviors/localized';
import { format } from '../../../../i18n/index';
import { toast } from '../../../../services/feedback';
import {
  dispatchWithdrawalCancel,
  dispatchWithdrawalConfirm,
  dispatchWithdrawalRequest,
  fetchOverview,
  fetchWithdrawal,
  soterProof,
} from '../../../../services/funds';
import { goBack, openPage } from '../../../../services/navigation';
import { type ApiFailure, failureOf, newIdempotencyKey } from '../../../../services/transport';
import { formatDateTime } from '../../../../shared/beijing';
import { guarded } from '../../../../utils/guard';
import { fenToYuan, formatFen, yuanToFen } from '../../../../shared/money';
import { pageTexts, pt } from '../../i18n/index';
import { withdrawalBank, withdrawalState } from '../../utils/labels';
import { param } from '../../utils/query';
import { FundsRoutes } from '../../utils/routes';

type Step = 'form' | 'confirm' | 'result';

interface ResultView {
  id: string;
  amountFen: number;
  label: string;
  theme: string;
  bank: string;
  time: string;
  reason: string;
  inFlight: boolean;
  message: string;
}

function resultView(w: WithdrawalView): ResultView {
  const state = withdrawalState(w.state);
  return {
    id: w.id,
    amountFen: w.amountFen,
    label: state.label,
    theme: state.theme,
    bank: withdrawalBank(w),
    time: formatDateTime(w.confirmedAt ?? w.createdAt),
    // The bank's own reason for a failed or returned payout; a closed one's note is the server's, for operators.
    reason: w.state === 'FAILED' || w.state === 'RETURNED' ? (w.reason ?? '') : '',
    inFlight: w.state === 'CREATED',
    message: pt().withdraw.messages[w.state],
  };
}

Component({
  behaviors: [localized(pageTexts, (t) => t.withdraw.title)],

  data: {
    step: 'form' as Step,
    loadState: 'loading' as LoadState,
    errorText: '',
    availableFen: 0,
    bank: '',
    blocked: '',
    amountText: '',
    amountError: '',
    formError: '',
    requesting: false,
    requestKey: '',
    withdrawalId: '',
    /** What the confirm step is confirming: the amount and the (masked) account it goes to. */
    confirmFen: 0,
    confirmBank: '',
    challenge: null as IdentityChallenge | null,
    code: '',
    codeError: '',
    confirming: false,
    confirmKey: '',
    cancelling: false,
    /** The withdrawal a result page shows (kept so Retry after a failed load retries it). */
    resultId: '',
    result: null as ResultView | null,
    refreshing: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const id = param(query.id);
      if (id) void this.loadResult(id);
      else void this.loadForm();
    },

    async loadForm() {
      this.setData({ step: 'form', loadState: 'loading', errorText: '', requestKey: newIdempotencyKey() });
      try {
        const o = await fetchOverview();
        const words = pt().withdraw;
        let blocked = '';
        if (!o.bankAccount) blocked = words.noBank;
        else if (o.withdrawnToday) blocked = words.usedToday;
        else if (o.balances.availableFen <= 0) blocked = words.nothing;
        this.setData({
          loadState: 'idle',
          availableFen: o.balances.availableFen,
          bank: o.bankAccount
            ? `${o.bankAccount.bankName ?? o.bankAccount.accountBank} ${o.bankAccount.accountNumber}`
            : '',
          blocked,
        });
      } catch (err) {
        this.setData({ loadState: 'error', errorText: failureOf(err).message });
      }
    },

    async loadResult(id: string) {
      this.setData({ step: 'result', resultId: id, loadState: 'loading', errorText: '' });
      try {
        this.setData({ loadState: 'idle', result: resultView(await fetchWithdrawal(id)) });
      } catch (err) {
        this.setData({ loadState: 'error', errorText: failureOf(err).message });
      }
    },

    onRetry() {
      if (this.data.step === 'result' && this.data.resultId) void this.loadResult(this.data.resultId);
      else void this.loadForm();
    },

    onAmount(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ amountText: e.detail.value, amountError: '', formError: '' });
    },

    onAll() {
      this.setData({ amountText: fenToYuan(this.data.availableFen), amountError: '', formError: '' });
    },

    async onRequest() {
      const fen = yuanToFen(this.data.amountText);
      const words = pt().withdraw;
      if (fen === null || fen <= 0) {
        this.setData({ amountError: words.amountInvalid });
        return;
      }
      if (fen > this.data.availableFen) {
        this.setData({ amountError: format(words.amountTooHigh, { amount: formatFen(this.data.availableFen) }) });
        return;
      }
      let soter = null as IdentityChallenge | null;
      await guarded(this, 'requesting', async () => {
        try {
          const { withdrawal, challenge } = await dispatchWithdrawalRequest(fen, this.data.requestKey);
          const bank = withdrawalBank(withdrawal) || this.data.bank;
          if (challenge.method === 'soter') soter = challenge;
          // The automatic (SOTER) check starts confirming in the same update, so Confirm and Cancel are never both free meanwhile.
          this.setData({
            step: 'confirm',
            withdrawalId: withdrawal.id,
            confirmFen: withdrawal.amountFen,
            confirmBank: bank,
            challenge,
            code: '',
            codeError: '',
            confirmKey: newIdempotencyKey(),
            confirming: !!soter,
          });
        } catch (err) {
          this.setData({ formError: failureOf(err).message, requestKey: newIdempotencyKey() });
        }
      });
      if (soter) {
        try {
          await this.confirmWithSoter(soter, fen);
        } finally {
          this.setData({ confirming: false });
        }
      }
    },

    async confirmWithSoter(challenge: IdentityChallenge, fen: number) {
      let proof: IdentityProof;
      try {
        proof = await soterProof(challenge, format(pt().withdraw.soterContent, { amount: formatFen(fen) }));
      } catch (err) {
        this.setData({ codeError: failureOf(err).message });
        return;
      }
      await this.confirm(proof);
    },

    onCode(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ code: e.detail.value, codeError: '' });
    },

    async onConfirm() {
      const challenge = this.data.challenge;
      if (!challenge || this.data.cancelling || this.data.requesting) return;
      if (challenge.method === 'soter') {
        await guarded(this, 'confirming', () => this.confirmWithSoter(challenge, this.data.confirmFen));
        return;
      }
      const code = this.data.code.trim();
      if (!/^\d{6}$/.test(code)) {
        this.setData({ codeError: pt().withdraw.codeInvalid });
        return;
      }
      await guarded(this, 'confirming', () => this.confirm({ code }));
    },

    async confirm(proof: { code: string } | { resultJSON: string; resultJSONSignature: string }) {
      try {
        const w = await dispatchWithdrawalConfirm(this.data.withdrawalId, proof, this.data.confirmKey);
        this.setData({ step: 'result', result: resultView(w) });
      } catch (err) {
        const failure: ApiFailure = failureOf(err);
        if (failure.retryable) {
          this.setData({ codeError: failure.message });
          return;
        }
        // Each answer is a new attempt.
        this.setData({ confirmKey: newIdempotencyKey() });
        const checkFailed = failure.code === 'FUNDS.IDENTITY_CHECK_FAILED';
        // The message says how many tries are left.
        if (checkFailed && failure.details?.attemptsLeft !== 0) {
          this.setData({ codeError: failure.message });
          return;
        }
        // Closed, expired, short or already used: this withdrawal is over; start again from the amount.
        await this.loadForm();
        this.setData({ formError: checkFailed ? pt().withdraw.noAttemptsLeft : failure.message });
      }
    },

    async onCancel() {
      // Not while a confirm is on its way (it may be moving the money), and once only.
      if (this.data.requesting || this.data.confirming) return;
      await guarded(this, 'cancelling', async () => {
        const id = this.data.withdrawalId;
        try {
          if (id) await dispatchWithdrawalCancel(id);
        } catch (err) {
          toast(failureOf(err).message);
        }
        await this.loadForm();
      });
    },

    async onRefresh() {
      const id = this.data.result?.id;
      if (!id) return;
      await guarded(this, 'refreshing', async () => {
        try {
          this.setData({ result: resultView(await fetchWithdrawal(id)) });
        } catch (err) {
          toast(failureOf(err).message);
        }
      });
    },

    onHistory() {
      void openPage(FundsRoutes.withdrawals);
    },

    onDone() {
      goBack();
    },
  },
});
