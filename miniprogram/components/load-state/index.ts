// One component for every named load state a list or detail shows (DESIGN §7):
// idle renders nothing, loading a spinner, empty and noMore a quiet line, and
// error the message with a retry button that fires `retry`.

// Texts left empty by the page are the catalogue's.
import { localized } from '../../behaviors/localized';
import { t } from '../../i18n';

export type LoadState = 'idle' | 'loading' | 'empty' | 'noMore' | 'error';

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [localized(() => t().loadState)],
  properties: {
    state: { type: String, value: 'idle' },
    loadingText: { type: String, value: '' },
    emptyText: { type: String, value: '' },
    noMoreText: { type: String, value: '' },
    errorTitle: { type: String, value: '' },
    /** The failure's message (ApiFailure.message, already in the user's words). */
    errorText: { type: String, value: '' },
    retryText: { type: String, value: '' },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },
  },
});
