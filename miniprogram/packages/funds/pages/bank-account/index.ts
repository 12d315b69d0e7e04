// The settlement bank account: the one in force (masked), the latest change
// and its review, and the form for a new one. A change goes to WeChat Pay's
// review; the current account keeps receiving withdrawals until approval.
import type { AccountType, BankChangeInput } from '../../../../../typings/funds';
import { loadable } from '../../../../behaviors/loadable';
import { localized } from '../../../../behaviors/localized';
import { format } from '../../../../i18n/index';
import { confirmAction, toast } from '../../../../services/feedback';
import { dispatchBankChange, fetchBankAccount } from '../../../../services/funds';
import { failureOf, newIdempotencyKey } from '../../../../services/transport';
import { ACCOUNT_NUMBER_DIGITS, isAccountNumber, normaliseAccountNumber } from '../../../../shared/bank-account';
import { guarded } from '../../../../utils/guard';
import { pageTexts, pt } from '../../i18n/index';
import { bankView, maskAccountNumber, type BankView } from './view';

/** The number field takes the digits plus the spaces or dashes a pasted number may carry. */
const NUMBER_FIELD_LENGTH = ACCOUNT_NUMBER_DIGITS.max + 10;

interface Form {
  accountType: AccountType;
  bankIndex: number;
  bankName: string;
  bankAddressCode: string;
  accountName: string;
  accountNumber: string;
}

const emptyForm = (): Form => ({
  accountType: 'CORPORATE',
  bankIndex: -1,
  bankName: '',
  bankAddressCode: '',
  accountName: '',
  accountNumber: '',
});

Component({
  behaviors: [loadable, localized(pageTexts, (t) => t.bank.title)],

  data: {
    view: null as BankView | null,
    editing: false,
    form: emptyForm(),
    bankLabel: '',
    needsBranch: false,
    errors: {} as Record<string, string>,
    formError: '',
    submitting: false,
    /** One key per change intent: a retry after a lost answer is the same request. */
    changeKey: '',
    /** The number field: its hint names the digits the rule allows (shared/bank-account.ts). */
    numberPlaceholder: '',
    numberLength: NUMBER_FIELD_LENGTH,
  },

  methods: {
    async fetchView(): Promise<BankView> {
      return bankView(await fetchBankAccount());
    },

    onRefresh() {
      void this.load(true);
    },

    onEdit() {
      if (!this.data.view?.canChange) return;
      this.setData({
        editing: true,
        numberPlaceholder: format(pt().bank.numberPlaceholder, ACCOUNT_NUMBER_DIGITS),
        form: emptyForm(),
        bankLabel: '',
        needsBranch: false,
        errors: {},
        formError: '',
        changeKey: newIdempotencyKey(),
      });
    },

    onCancelEdit() {
      if (!this.data.submitting) this.setData({ editing: false });
    },

    onType(
      e: WechatMiniprogram.CustomEvent<
        WechatMiniprogram.IAnyObject,
        WechatMiniprogram.IAnyObject,
        { type: AccountType }
      >,
    ) {
      const type = e.currentTarget.dataset.type;
      if (type === 'PERSONAL' && !this.data.view?.personalAllowed) return;
      this.setData({ 'form.accountType': type, 'errors.accountType': '' });
    },

    onBank(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      const index = Number(e.detail.value);
      const bank = this.data.view?.banks[index] ?? '';
      this.setData({
        'form.bankIndex': index,
        bankLabel: bank,
        needsBranch: bank !== '' && bank === this.data.view?.otherBank,
        'errors.accountBank': '',
      });
    },

    onField(e: WechatMiniprogram.CustomEvent<{ value: string }, WechatMiniprogram.IAnyObject, { field: keyof Form }>) {
      const field = e.currentTarget.dataset.field;
      this.setData({ [`form.${field}`]: e.detail.value, [`errors.${field}`]: '', formError: '' });
    },

    input(): BankChangeInput | null {
      const f = this.data.form;
      const bank = this.data.view?.banks[f.bankIndex];
      const words = pt().bank;
      const errors: Record<string, string> = {};
      if (!bank) errors.accountBank = words.chooseBank;
      const other = bank !== undefined && bank === this.data.view?.otherBank;
      if (other && !f.bankName.trim()) errors.bankName = words.branchRequired;
      if (!/^\d{6}$/.test(f.bankAddressCode.trim())) errors.bankAddressCode = words.cityInvalid;
      if (!f.accountName.trim()) errors.accountName = words.nameRequired;
      if (!isAccountNumber(normaliseAccountNumber(f.accountNumber)))
        errors.accountNumber = format(words.numberInvalid, ACCOUNT_NUMBER_DIGITS);
      if (!bank || Object.keys(errors).length) {
        this.setData({ errors });
        return null;
      }
      return {
        accountType: f.accountType,
        accountBank: bank,
        ...(other ? { bankName: f.bankName.trim() } : {}),
        bankAddressCode: f.bankAddressCode.trim(),
        accountName: f.accountName.trim(),
        accountNumber: normaliseAccountNumber(f.accountNumber),
      };
    },

    async onSubmit() {
      const input = this.input();
      if (!input) return;
      await guarded(this, 'submitting', async () => {
        const bank = input.bankName ?? input.accountBank;
        const words = pt().bank;
        const ok = await confirmAction(
          words.confirmTitle,
          format(words.confirmContent, { account: `${bank} ${maskAccountNumber(input.accountNumber)}` }),
          words.confirmOk,
        );
        if (!ok) return;
        try {
          const status = await dispatchBankChange(input, this.data.changeKey);
          this.setData({ editing: false, view: bankView(status) });
          toast(pt().bank.submitted, 'success');
        } catch (err) {
          const failure = failureOf(err);
          if (failure.fields && Object.keys(failure.fields).some((f) => f !== '_')) {
            const errors: Record<string, string> = {};
            for (const [field, reason] of Object.entries(failure.fields)) errors[field] = reason;
            this.setData({ errors, formError: failure.message });
          } else {
            this.setData({ formError: failure.message });
          }
          // A refused change can be corrected and sent as a new intent; an unreachable service is retried as the same.
          if (!failure.retryable) this.setData({ changeKey: newIdempotencyKey() });
        }
      });
    },
  },
});
