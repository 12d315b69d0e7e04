// The settlement bank account: the one in force (masked), the latest change
// and its review, and the form for a new one. A change goes to WeChat Pay's
// review; the current account keeps receiving withdrawals until approval.
import type { AccountType, BankChangeInput } from '../../../../../typings/funds';
import { loadable } from '../../../../behaviors/loadable';
import { confirmAction, toast } from '../../../../services/feedback';
import { dispatchBankChange, fetchBankAccount } from '../../../../services/funds';
import { failureOf, newIdempotencyKey } from '../../../../services/transport';
import { guarded } from '../../../../utils/guard';
import { bankView, maskAccountNumber, type BankView } from './view';

const OTHER_BANK = '其他银行';

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
  behaviors: [loadable],

  data: {
    view: null as BankView | null,
    editing: false,
    form: emptyForm(),
    bankLabel: '',
    otherBank: false,
    errors: {} as Record<string, string>,
    formError: '',
    submitting: false,
    /** One key per change intent: a retry after a lost answer is the same request. */
    changeKey: '',
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
        form: emptyForm(),
        bankLabel: '',
        otherBank: false,
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
        otherBank: bank === OTHER_BANK,
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
      const errors: Record<string, string> = {};
      if (!bank) errors.accountBank = 'Choose the bank';
      if (bank === OTHER_BANK && !f.bankName.trim()) errors.bankName = 'Enter the full name of the bank branch';
      if (!/^\d{6}$/.test(f.bankAddressCode.trim())) errors.bankAddressCode = 'Six digits, the city of the branch';
      if (!f.accountName.trim()) errors.accountName = 'Enter the name on the account';
      if (!/^\d{8,30}$/.test(f.accountNumber.replace(/[\s-]/g, ''))) errors.accountNumber = '8 to 30 digits';
      if (!bank || Object.keys(errors).length) {
        this.setData({ errors });
        return null;
      }
      return {
        accountType: f.accountType,
        accountBank: bank,
        ...(bank === OTHER_BANK ? { bankName: f.bankName.trim() } : {}),
        bankAddressCode: f.bankAddressCode.trim(),
        accountName: f.accountName.trim(),
        accountNumber: f.accountNumber.replace(/[\s-]/g, ''),
      };
    },

    async onSubmit() {
      const input = this.input();
      if (!input) return;
      await guarded(this, 'submitting', async () => {
        const bank = input.bankName ?? input.accountBank;
        const ok = await confirmAction(
          'Change the settlement account?',
          `${bank} ${maskAccountNumber(input.accountNumber)} replaces the current account once WeChat Pay approves the change. This uses one of the 5 changes allowed each day.`,
          'Submit',
        );
        if (!ok) return;
        try {
          const status = await dispatchBankChange(input, this.data.changeKey);
          this.setData({ editing: false, view: bankView(status) });
          toast('Submitted for review', 'success');
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
