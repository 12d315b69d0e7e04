// One component for every named load state a list or detail shows (DESIGN §7):
// idle renders nothing, loading a spinner, empty and noMore a quiet line, and
// error the message with a retry button that fires `retry`.

export type LoadState = 'idle' | 'loading' | 'empty' | 'noMore' | 'error';

Component({
  options: { styleIsolation: 'apply-shared' },
  properties: {
    state: { type: String, value: 'idle' },
    loadingText: { type: String, value: 'Loading…' },
    emptyText: { type: String, value: 'Nothing here yet' },
    noMoreText: { type: String, value: 'No more' },
    errorTitle: { type: String, value: "Couldn't load this" },
    /** The failure's message (ApiFailure.message). */
    errorText: { type: String, value: '' },
    retryText: { type: String, value: 'Try again' },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },
  },
});
