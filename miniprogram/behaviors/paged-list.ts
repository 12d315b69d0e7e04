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
import { stopPullDownRefresh } from '../services/feedback';
import { failureOf } from '../services/transport';

export interface CursorPage<Item> {
  items: Item[];
  /** Cursor for the next page; absent on the last page. */
  next?: string;
}

/** What a page using pagedList implements. */
export interface PagedListSource<
  Item = unknown,
  Row extends WechatMiniprogram.IAnyObject = WechatMiniprogram.IAnyObject,
> {
  fetchPage(cursor?: string): Promise<CursorPage<Item>>;
  toRow(item: Item): Row;
  reloadPatch?(): WechatMiniprogram.IAnyObject;
}

type Self = WechatMiniprogram.Component.TrivialInstance &
  PagedListSource & {
    /** Bumped by every reload: an answer to an older load (a slow reload, a next page of a previous filter) is dropped. */
    _listSeq?: number;
  };

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
    /** The error below the rows is a failed next page: its retry loads that page, not the first. */
    moreFailed: false,
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
      const seq = (self._listSeq ?? 0) + 1;
      self._listSeq = seq;
      // A next page still on its way belongs to the previous list: it is dropped when it lands.
      this.setData({
        loadState: 'loading',
        errorText: '',
        next: '',
        loadingMore: false,
        moreFailed: false,
        ...self.reloadPatch?.(),
      });
      try {
        const page = await self.fetchPage();
        if (seq !== self._listSeq) return;
        const next = page.next ?? '';
        this.setData({
          loaded: true,
          rows: page.items.map((item) => self.toRow(item)),
          next,
          loadState: stateAfter(page.items.length, next),
        });
        // A page of nothing visible with more behind it: keep going rather than show a blank list.
        if (!page.items.length && next) void this.onReachBottom();
      } catch (err) {
        if (seq !== self._listSeq) return;
        this.setData({ rows: [], next: '', loadState: 'error', errorText: failureOf(err).message });
      }
    },

    /** Appends the next page row by row (`rows[i]` paths), so setData never re-sends the whole list. */
    async onReachBottom() {
      const self = this as unknown as Self;
      if (!this.data.next || this.data.loadingMore || this.data.loadState === 'loading') return;
      const seq = self._listSeq ?? 0;
      this.setData({ loadingMore: true, loadState: 'idle', errorText: '', moreFailed: false });
      try {
        const page = await self.fetchPage(this.data.next);
        if (seq !== (self._listSeq ?? 0)) return;
        const start = this.data.rows.length;
        const next = page.next ?? '';
        const patch: WechatMiniprogram.IAnyObject = { next, loadState: stateAfter(start + page.items.length, next) };
        page.items.forEach((item, i) => {
          patch[`rows[${start + i}]`] = self.toRow(item);
        });
        this.setData(patch);
      } catch (err) {
        if (seq !== (self._listSeq ?? 0)) return;
        // The rows already shown stay; the error below them retries this page (so does scrolling down again).
        this.setData({ loadState: 'error', errorText: failureOf(err).message, moreFailed: true });
      } finally {
        if (seq === (self._listSeq ?? 0)) this.setData({ loadingMore: false });
      }
    },

    async onPullDownRefresh() {
      await this.reload();
      stopPullDownRefresh();
    },

    onRetry() {
      if (this.data.moreFailed && this.data.next) void this.onReachBottom();
      else void this.reload();
    },
  },
});
