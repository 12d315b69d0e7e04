// The application's six steps in one compact bar that fits a 375 px screen in
// any language: the current step's title with "2/6", and a numbered dot per
// step (its title is the dot's accessible name, not a second row of labels).
// Tapping a dot fires `open` with the step's index.
import { format } from '../../../../i18n/index';
import { pt } from '../../i18n/index';

interface StepView {
  index: number;
  number: number;
  state: 'done' | 'current' | 'todo';
  label: string;
}

Component({
  options: { styleIsolation: 'apply-shared' },
  properties: {
    /** Every step's title, in order. */
    titles: { type: Array, value: [] },
    current: { type: Number, value: 0 },
  },
  data: {
    title: '',
    progress: '',
    steps: [] as StepView[],
  },
  observers: {
    'titles, current'(titles: string[], current: number) {
      const words = pt().stepBar;
      const total = titles.length;
      const steps = titles.map(
        (title, index): StepView => ({
          index,
          number: index + 1,
          state: index < current ? 'done' : index === current ? 'current' : 'todo',
          label: format(words.step, { current: index + 1, total, title }),
        }),
      );
      this.setData({
        title: titles[current] ?? '',
        progress: total ? format(words.progress, { current: current + 1, total }) : '',
        steps,
      });
    },
  },
  methods: {
    onTap(
      e: WechatMiniprogram.TouchEvent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, { index: number }>,
    ) {
      this.triggerEvent('open', { index: Number(e.currentTarget.dataset.index) });
    },
  },
});
