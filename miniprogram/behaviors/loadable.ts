// A page that loads one view, then shows it, for pages built with Component().
// The behavior owns the load state and the page lifecycle; the page supplies,
// as a method, fetchView() → the view the template renders (kept in `view`),
// and may set `reloadOnShow: true` in its data to refresh quietly when shown
// again after a first load (back from a flow that may have changed it).
//
// load(false): loading on screen, then the view, or the error with a retry.
// load(true), quiet: what is on screen stays while refreshing and a failure
// only toasts (it shows the error when there is nothing on screen yet).
// A page's own onLoad/onShow replaces the behavior's: call this.load() there.
import type { LoadState } from '../components/load-state/index';
import { stopPullDownRefresh, toast } from '../services/feedback';
import { failureOf } from '../services/transport';

/** What a page using loadable implements. */
export interface LoadableSource<View = unknown> {
  fetchView(): Promise<View>;
}

type Self = WechatMiniprogram.Component.TrivialInstance & LoadableSource;

export const loadable = Behavior({
  data: {
    loadState: 'loading' as LoadState,
    errorText: '',
    /** The page narrows its type by declaring `view: null as MyView | null` in its own data. */
    view: null as unknown,
    /** Pages set this to refresh quietly on every show after the first load. */
    reloadOnShow: false,
  },

  methods: {
    onLoad() {
      void this.load(false);
    },

    onShow() {
      if (this.data.reloadOnShow && this.data.view) void this.load(true);
    },

    async onPullDownRefresh() {
      await this.load(true);
      stopPullDownRefresh();
    },

    async load(quiet = false) {
      const self = this as unknown as Self;
      if (!quiet) this.setData({ loadState: 'loading', errorText: '' });
      try {
        const view = await self.fetchView();
        this.setData({ loadState: 'idle', view });
      } catch (err) {
        const failure = failureOf(err);
        if (quiet && this.data.view) toast(failure.message);
        else this.setData({ loadState: 'error', errorText: failure.message });
      }
    },

    onRetry() {
      void this.load(false);
    },
  },
});
