// Where the app's cloud calls go. `local` talks to the gateway that
// `npm start` runs on this machine (DevTools with "do not verify request
// domains" on); its address follows PORT (local-gateway.ts, written by
// `npm run build`). `cloud` uses wx.cloud and the CloudBase environment below.
// Edit `mode` (and `cloud.env`) before previewing on a phone or uploading:
// `npm run upload` refuses an app still in local mode.
import { LOCAL_GATEWAY } from './local-gateway';

export type Mode = 'local' | 'cloud';

export interface AppConfig {
  mode: Mode;
  local: {
    /** The local gateway (cloudfunctions/local/gateway.ts) on 127.0.0.1:PORT, as `npm run build` saw PORT. */
    gateway: string;
    /**
     * Who this copy of the app is, locally: in the cloud WeChat supplies it.
     * The appid is the demo mini program the local stack registers.
     */
    openid: string;
    appid: string;
  };
  cloud: {
    /** CloudBase environment id, e.g. "pms-prod-1a2b3c". */
    env: string;
  };
  /** Give up on a call after this long (ms). */
  timeoutMs: number;
}

export const config: AppConfig = {
  mode: 'local',
  local: {
    gateway: LOCAL_GATEWAY,
    openid: 'o_local_developer_0000000001',
    appid: 'wxd0c0ffee5a1e5a1e',
  },
  cloud: {
    env: 'your-cloudbase-env-id',
  },
  timeoutMs: 15000,
};
