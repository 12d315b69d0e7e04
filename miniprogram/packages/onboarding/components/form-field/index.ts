// One field of the application form: text, a choice, a date, or an end date
// that may be long-term. It reports every change as `fieldchange` with the
// field's key, so the page needs one handler (dataset on tdesign's
// virtual-host components cannot carry the key).
import type { FieldView } from '../../pages/form/view';

const LONG_TERM = 'LONG_TERM';

Component({
  options: { styleIsolation: 'apply-shared' },
  properties: {
    field: { type: Object, value: {} },
    disabled: { type: Boolean, value: false },
  },
  methods: {
    emit(value: string) {
      const field = this.data.field as FieldView;
      this.triggerEvent('fieldchange', { key: field.key, value });
    },
    onInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.emit(String(e.detail.value ?? ''));
    },
    onPick(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      const option = (this.data.field as FieldView).options[Number(e.detail.value)];
      if (option) this.emit(option.value);
    },
    onPickDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.emit(String(e.detail.value));
    },
    onLongTerm(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      this.emit(e.detail.value ? LONG_TERM : '');
    },
  },
});
