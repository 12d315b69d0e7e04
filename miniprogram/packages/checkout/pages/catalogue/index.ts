// Catalogue management (admin): every product, on sale or not, and a form to
// add one or change its name, price and whether it is on sale. Prices are
// typed in yuan and sent as integer fen; each add or edit is one intent with
// one idempotency key, kept while the same save is retried.
import type { Product } from '../../../../../typings/checkout';
import { localized } from '../../../../behaviors/localized';
import { pagedList } from '../../../../behaviors/paged-list';
import { format, t } from '../../../../i18n/index';
import { fetchProducts, dispatchSaveProduct } from '../../../../services/checkout';
import { toast } from '../../../../services/feedback';
import { failureOf, newIdempotencyKey } from '../../../../services/transport';
import { guarded } from '../../../../utils/guard';
import { fenToYuan, formatFen, yuanToFen } from '../../../../shared/money';
import { pageTexts, pt } from '../../i18n/index';

/** The backend's limits (cloudfunctions/core/domain/catalogue.ts). */
const NAME_MAX = 40;
const MAX_PRICE_FEN = 5_000_000;

interface Row {
  id: string;
  name: string;
  priceFen: number;
  active: boolean;
}

function toRow(p: Product): Row {
  return { id: p.id, name: p.name, priceFen: p.priceFen, active: p.active };
}

Component({
  behaviors: [
    pagedList,
    localized(
      () => ({ ...pageTexts(), loading: t().loadState.loading }),
      (texts) => texts.catalogue.title,
    ),
  ],

  data: {
    /** The form is open: adding (editId '') or editing editId. */
    formOpen: false,
    editId: '',
    nameText: '',
    priceText: '',
    active: true,
    nameError: '',
    priceError: '',
    formError: '',
    saving: false,
    /** One key per add/edit intent, kept across retries of that intent. */
    saveKey: '',
  },

  methods: {
    fetchPage(after?: string) {
      return fetchProducts(after ? { includeInactive: true, after } : { includeInactive: true });
    },

    toRow,

    openForm(row: Row | null) {
      this.setData({
        formOpen: true,
        editId: row ? row.id : '',
        nameText: row ? row.name : '',
        priceText: row ? fenToYuan(row.priceFen) : '',
        active: row ? row.active : true,
        nameError: '',
        priceError: '',
        formError: '',
        saveKey: newIdempotencyKey(),
      });
    },

    onAdd() {
      if (this.data.saving) return;
      this.openForm(null);
    },

    onEdit(
      e: WechatMiniprogram.CustomEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { index: number }>,
    ) {
      if (this.data.saving) return;
      const row = (this.data.rows as Row[])[Number(e.currentTarget.dataset.index)];
      if (row) this.openForm(row);
    },

    onCancel() {
      if (this.data.saving) return;
      this.setData({ formOpen: false, saveKey: '' });
    },

    onName(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ nameText: e.detail.value, nameError: '', formError: '' });
    },

    onPrice(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ priceText: e.detail.value, priceError: '', formError: '' });
    },

    onActive(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      this.setData({ active: !!e.detail.value, formError: '' });
    },

    /** The product to send, or null with the errors shown inline. */
    validated(): { name: string; priceFen: number } | null {
      const texts = pt().catalogue;
      const name = this.data.nameText.trim();
      let nameError = '';
      if (!name) nameError = texts.nameRequired;
      else if (name.length > NAME_MAX) nameError = format(texts.nameTooLong, { max: NAME_MAX });
      const priceFen = yuanToFen(this.data.priceText);
      let priceError = '';
      if (priceFen === null || priceFen < 1) priceError = texts.priceInvalid;
      else if (priceFen > MAX_PRICE_FEN) priceError = format(texts.priceTooHigh, { amount: formatFen(MAX_PRICE_FEN) });
      this.setData({ nameError, priceError });
      return nameError || priceError ? null : { name, priceFen: priceFen as number };
    },

    async onSave() {
      if (this.data.saving) return;
      const input = this.validated();
      if (!input) return;
      await guarded(this, 'saving', async () => {
        const editing = this.data.editId;
        try {
          await dispatchSaveProduct(
            { ...(editing ? { id: editing } : {}), ...input, active: this.data.active },
            this.data.saveKey,
          );
          this.setData({ formOpen: false, saveKey: '', formError: '' });
          toast(editing ? pt().catalogue.saved : pt().catalogue.added, 'success');
        } catch (err) {
          const failure = failureOf(err);
          this.setData({ formError: failure.message });
          // A refused save, once corrected, is a new intent; an unreachable service is retried as the same one.
          if (!failure.retryable) this.setData({ saveKey: newIdempotencyKey() });
          return;
        }
        await this.reload();
      });
    },
  },
});
