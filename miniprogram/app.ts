// The app: wires the transport (wx.cloud in cloud mode) at launch. Pages load
// their own state through services; nothing global is cached here.
import { initTransport } from './services/transport';

App({
  onLaunch() {
    initTransport();
  },
});
