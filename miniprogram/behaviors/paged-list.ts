// A list loaded a page at a time with a cursor (infinite scroll), for pages
// built with Component(). The behavior owns the list state and the page
// lifecycle; the page supplies, as methods:
//   fetchPage(cursor?) → { items, next? }   one page, the first when no cursor
//   toRow(item)        → the row the template renders
//   reloadPatch?()     → extra data to set when a reload starts (e.g. { rows: [] }
//                        to drop rows that no longer match a filter)
// and may set `reloadOnShow: true` in its data to reload when shown again after
// a first successful load (back from a detail whose state may have moved on).
// A page's own onLoad/onShow replaces the behavior's: call this.reload() there.
import type { LoadState } from '../components/load-state/index';
import { stopPullDownRefresh, toast } from '../services/feedback';
import { failureOf } from '../services/transport';

export interface CursorPage<Item> {
  items: Item[];
  /** Cursor for the next page; absent on the last page. */
  next?: string;
}

/** What a page using pagedList implements. */
export interface PagedListSource<Item = any, Row extends WechatMiniprogram.IAnyObject = WechatMiniprogram.IAnyObject> {
  fetchPage(cursor?: string): Promise<CursorPage<Item>>;
  toRow(item: Item): Row;
  reloadPatch?(): WechatMiniprogram.IAnyObject;
}

type Self = WechatMiniprogram.Component.TrivialInstance & PagedListSource;

/** The list state below the rows after a page: more to load, the end, or nothing at all. */
function stateAfter(total: number, next: string): LoadState {
  if (next) return 'idle';
  return total === 0 ? 'empty' : 'noMore';
}

export const pagedList = Behavior({
  data: {
    rows: [] as WechatMiniprogram.IAnyObject[],
    next: '',
    /** State of the list below the rows: loading, empty, error, noMore, or idle (more to load). */
    loadState: 'loading' as LoadState,
    errorText: '',
    loadingMore: false,
    /** Set after the first successful load. */
    loaded: false,
    /** Pages set this to reload on every show after the first load. */
    reloadOnShow: false,
  },

  methods: {
    onLoad() {
      void this.reload();
    },

    onShow() {
      if (this.data.reloadOnShow && this.data.loaded) void this.reload();
    },

    /** The first page again; the rows on screen stay until it arrives (unless reloadPatch drops them). */
    async reload() {
      const self = this as unknown as Self;
      this.setData({ loadState: 'loading', errorText: '', next: '', ...self.reloadPatch?.() });
      try {
        const page = await self.fetchPage();
        const next = page.next ?? '';
        this.setData({ loaded: true, rows: page.items.map((item) => self.toRow(item)), next, loadState: stateAfter(page.items.length, next) });
        // A page of nothing visible with more behind it: keep going rather than show a blank list.
        if (!page.items.length && next) void this.onReachBottom();
      } catch (err) {
        this.setData({ rows: [], next: '', loadState: 'error', errorText: failureOf(err).message });
      }
    },

    /** Appends the next page row by row (`rows[i]` paths), so setData never re-sends the whole list. */
    async onReachBottom() {
      const self = this as unknown as Self;
      if (!this.data.next || this.data.loadingMore || this.data.loadState === 'loading') return;
      this.setData({ loadingMore: true });
      try {
        const page = await self.fetchPage(this.data.next);
        const start = this.data.rows.length;
        const next = page.next ?? '';
        const patch: WechatMiniprogram.IAnyObject = { next, loadState: stateAfter(start + page.items.length, next) };
        page.items.forEach((item, i) => {
          patch[`rows[${start + i}]`] = self.toRow(item);
        });
        this.setData(patch);
      } catch (err) {
        // The rows already shown stay; scrolling down again retries.
        toast(failureOf(err).message);
      } finally {
        this.setData({ loadingMore: false });
      }
    },

    async onPullDownRefresh() {
      await this.reload();
      stopPullDownRefresh();
    },

    onRetry() {
      void this.reload();
    },
  },
});
