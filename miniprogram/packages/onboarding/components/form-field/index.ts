// One field of the application form: text, a choice, a date, an end date
// that may be long-term, or a region (province -> city -> district, in a
// t-cascader). It reports every change as `fieldchange` with the field's key,
// so the page needs one handler (dataset on tdesign's virtual-host components
// cannot carry the key).
import { localized } from '../../../../behaviors/localized';
import { pt } from '../../i18n/index';
import type { FieldView } from '../../pages/form/view';
import { branchesOf, type RegionOption, regionOptions } from '../../utils/regions';

const LONG_TERM = 'LONG_TERM';

interface RegionState {
  /** Provinces and cities whose children the cascader has been given. */
  opened?: Set<string>;
}

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [localized(() => pt().form)],
  properties: {
    field: { type: Object, value: {} },
    disabled: { type: Boolean, value: false },
    /** horizontal: label beside the input, in a column `labelWidth` em wide; vertical: label above. */
    layout: { type: String, value: 'horizontal' },
    labelWidth: { type: Number, value: 6 },
    /** The last field of the card: no divider below it. */
    last: { type: Boolean, value: false },
  },
  data: {
    regionVisible: false,
    regionOptions: [] as RegionOption[],
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

    onOpenRegion() {
      if (this.data.disabled) return;
      const self = this as unknown as RegionState;
      // The chosen region's branch is loaded so that the cascader shows it chosen (and a chosen
      // city's districts, the next level to choose from).
      const code = (this.data.field as FieldView).value;
      self.opened = new Set([...(self.opened ?? []), ...branchesOf(code), ...(code ? [code] : [])]);
      // Options first, then visible: the cascader finds the chosen value among them as it opens.
      this.setData({ regionOptions: regionOptions(self.opened) });
      this.setData({ regionVisible: true });
    },
    /** A province or city was tapped: give the cascader its children (the tree only grows). */
    onRegionPick(e: WechatMiniprogram.CustomEvent<{ value: string; level: number }>) {
      const self = this as unknown as RegionState;
      const code = String(e.detail.value);
      if (self.opened?.has(code)) return;
      self.opened = new Set([...(self.opened ?? []), code]);
      this.setData({ regionOptions: regionOptions(self.opened) });
    },
    onRegionChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const code = String(e.detail.value ?? '');
      this.setData({ regionVisible: false });
      if (code) this.emit(code);
    },
    /**
     * Closed by the overlay or the close button. A choice made ("finish")
     * closes it too, but its change event comes after: updating the cascader
     * before that would reset what was chosen, so the change closes it.
     */
    onRegionClose(e: WechatMiniprogram.CustomEvent<{ trigger: string }>) {
      if (e.detail.trigger !== 'finish') this.setData({ regionVisible: false });
    },
  },
});
