// Deployment configuration, read once from the environment. In local mode a
// demo mini program is registered so the app works with no setup at all.
import path from 'node:path';

export interface MiniProgramRecord {
  appid: string;
  name: string;
  /** The registered entity behind the mini program (from its registration record). */
  entity: { name: string; creditCode: string; domestic: boolean };
  /** Served by an authorised third-party platform: payment management refuses those. */
  thirdPartyPlatform: boolean;
  /** Openids that are merchant admins by configuration. */
  admins: string[];
}

export interface Config {
  mode: 'local' | 'cloud';
  miniPrograms: Record<string, MiniProgramRecord>;
  /** One-time code with which the first user claims the merchant admin role. */
  setupCode?: string;
  /** Local mode: folder for the SQLite file, uploads and sandbox keys. */
  dataDir: string;
  /** Where WeChat Pay sends payment and refund notifications (payNotify's HTTP trigger). */
  notifyUrl: string;
}

export const DEMO_APPID = 'wxd0c0ffee5a1e5a1e';

export const demoMiniProgram: MiniProgramRecord = {
  appid: DEMO_APPID,
  name: 'Demo Tea Shop',
  // A valid unified social credit code (check character included).
  entity: { name: 'Shenzhen Demo Tea Co., Ltd.', creditCode: '91440300MA5FXT4K8N', domestic: true },
  thirdPartyPlatform: false,
  admins: [],
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = env.PMS_MODE === 'cloud' ? 'cloud' : 'local';
  const listed = env.PMS_MINI_PROGRAMS ? (JSON.parse(env.PMS_MINI_PROGRAMS) as MiniProgramRecord[]) : [];
  const miniPrograms: Record<string, MiniProgramRecord> = {};
  if (mode === 'local') miniPrograms[DEMO_APPID] = structuredClone(demoMiniProgram);
  for (const record of listed) miniPrograms[record.appid] = record;
  return {
    mode,
    miniPrograms,
    setupCode: env.PMS_SETUP_CODE || undefined,
    dataDir: path.resolve(env.PMS_DATA_DIR ?? '.data'),
    notifyUrl: env.PMS_NOTIFY_URL ?? `http://127.0.0.1:${env.PORT ?? 8787}/http/payNotify`,
  };
}
