// What every sandbox module shares: state, keys, the clock, options, id
// generators and the registry of timed transitions.
import crypto, { type KeyObject } from 'node:crypto';
import { oaepDecrypt } from '../../core/adapters/wechatpay/crypto';
import type { Clock } from '../../core/ports/clock';
import { beijingCompact } from '../../../miniprogram/shared/beijing';
import { type PlatformMode, SandboxCertificates } from './certificates';
import type { SandboxKeys } from './keys';
import type { SandboxState } from './state';

export interface SandboxDelays {
  /** PROCESSING -> SUCCESS of a refund. */
  refundMs: number;
  /** AUDITING -> the review's decision. */
  reviewMs: number;
  /** SIGNING -> FINISHED. */
  signingMs: number;
  /** AUDITING -> AUDIT_SUCCESS/FAIL of a settlement account change. */
  settlementMs: number;
  /** CREATE_SUCCESS -> SUCCESS at the sandbox bank. */
  withdrawMs: number;
}

export type ReviewMode =
  /** Rule-based decision after reviewMs; valid applications go to `approveTo`. */
  | 'auto'
  /** Stay AUDITING until an outcome is forced. */
  | 'manual';

export interface SandboxOptions {
  /** Folder for keys and state: <dataDir>/sandbox. */
  dir: string;
  clock?: Clock;
  /** Multiplies every delay and the notification retry schedule (0.001 turns 15 s into 15 ms). */
  timeScale?: number;
  delays?: Partial<SandboxDelays>;
  review?: ReviewMode;
  /** Where a passing review leads (default FINISHED; TO_BE_SIGNED/TO_BE_CONFIRMED exercise those paths). */
  approveTo?: 'FINISHED' | 'TO_BE_SIGNED' | 'TO_BE_CONFIRMED';
  /** Real milliseconds a notify_url has to answer (WeChat: 5 s). */
  notifyTimeoutMs?: number;
  /** Real milliseconds between background passes over due transitions (0: none; call runDue/flush). */
  tickMs?: number;
  /** Pre-generated key material to write at first start (tests reuse one set per process). */
  seedKeys?: import('./keys').KeyMaterial;
  /** Where the sandbox reports what it does (default: nowhere). */
  log?: (message: string, data?: Record<string, unknown>) => void;
  /**
   * How WeChat Pay proves itself: with the WeChat Pay public key (PUB_KEY_ID_…, the default) or with
   * platform certificates (answers and notifications signed with the current certificate's key).
   */
  platformMode?: PlatformMode;
}

export const DEFAULT_DELAYS: SandboxDelays = {
  refundMs: 3_000,
  reviewMs: 5_000,
  signingMs: 3_000,
  settlementMs: 5_000,
  withdrawMs: 5_000,
};

/** A transition that runs when a document of its kind falls due. */
export type Advancer = (ctx: SandboxContext, id: string) => void;

export interface SandboxContext {
  state: SandboxState;
  keys: SandboxKeys;
  clock: Clock;
  timeScale: number;
  delays: SandboxDelays;
  review: ReviewMode;
  approveTo: 'FINISHED' | 'TO_BE_SIGNED' | 'TO_BE_CONFIRMED';
  notifyTimeoutMs: number;
  log: (message: string, data?: Record<string, unknown>) => void;
  advancers: Map<string, Advancer>;
  /** The base URL clients reach the sandbox at (known once listening). */
  baseUrl: string;
  platformMode: PlatformMode;
  /** The platform certificates (served by /v3/certificates in both modes; they sign in certificate mode). */
  certificates: SandboxCertificates;
  /** What WeChat signs answers and notifications with now: the public key, or the current platform certificate. */
  signer(): { serial: string; privateKey: KeyObject };
  /** The serials a request with encrypted fields may name in Wechatpay-Serial. */
  encryptionSerials(): string[];
  /** Decrypts an RSA-OAEP sensitive field with the private key of whichever valid platform key encrypted it. */
  decryptSensitive(ciphertext: string): string;
  now(): Date;
  /** Clock time (epoch ms) `ms` of sandbox time from now, after timeScale. */
  after(ms: number): number;
  /** A document, with any due transition applied first (so reads agree with the clock). */
  read<T>(kind: string, id: string): T | null;
  /** Applies every transition due by now (notifications excepted: they are sent by the server's passes). */
  applyDue(): number;
  ids: SandboxIds;
}

export interface SandboxIds {
  transactionId(): string;
  refundId(): string;
  prepayId(): string;
  applymentId(): number;
  subMchid(): string;
  applicationNo(): string;
  withdrawId(): string;
  mediaId(): string;
  token(): string;
}

const digits = (n: number): string => Array.from({ length: n }, () => crypto.randomInt(10)).join('');

export function createContext(state: SandboxState, keys: SandboxKeys, options: SandboxOptions): SandboxContext {
  const clock = options.clock ?? { now: () => new Date() };
  const platformMode = options.platformMode ?? 'public_key';
  const certificates = new SandboxCertificates(state, options.dir, clock);
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0 && Number.isFinite(timeScale)))
    throw new RangeError(`timeScale must be a positive number, got ${options.timeScale}`);
  const seq = (name: string, width: number) => String(state.next(name) % 10 ** width).padStart(width, '0');
  const day = () => beijingCompact(clock.now()).slice(0, 8);
  const ctx: SandboxContext = {
    state,
    keys,
    clock,
    timeScale,
    delays: { ...DEFAULT_DELAYS, ...options.delays },
    review: options.review ?? 'auto',
    approveTo: options.approveTo ?? 'FINISHED',
    notifyTimeoutMs: options.notifyTimeoutMs ?? 5_000,
    log: options.log ?? (() => {}),
    advancers: new Map(),
    baseUrl: '',
    platformMode,
    certificates,
    signer() {
      if (platformMode === 'public_key') return { serial: keys.platformKeyId, privateKey: keys.platformPrivateKey };
      const cert = certificates.current();
      if (!cert) throw new Error('no platform certificate in effect at the sandbox clock');
      return { serial: cert.serial_no, privateKey: certificates.privateKey(cert.serial_no) };
    },
    encryptionSerials() {
      return platformMode === 'public_key' ? [keys.platformKeyId] : certificates.usable().map((c) => c.serial_no);
    },
    decryptSensitive(ciphertext) {
      const candidates =
        platformMode === 'public_key'
          ? [keys.platformPrivateKey]
          : certificates
              .usable()
              .reverse()
              .map((c) => certificates.privateKey(c.serial_no));
      for (const key of candidates) {
        try {
          return oaepDecrypt(ciphertext, key);
        } catch {
          // OAEP padding fails with another key: try the next.
        }
      }
      throw new Error('not encrypted with a valid platform key');
    },
    now: () => clock.now(),
    after: (ms) => clock.now().getTime() + ms * timeScale,
    read<T>(kind: string, id: string): T | null {
      const due = state.dueAt(kind, id);
      const advance = ctx.advancers.get(kind);
      if (advance && due !== null && due <= clock.now().getTime()) advance(ctx, id);
      return state.get<T>(kind, id);
    },
    applyDue() {
      let applied = 0;
      for (const { kind, id } of state.due(clock.now().getTime())) {
        if (kind === 'delivery') continue;
        const advance = ctx.advancers.get(kind);
        // A due time with no transition for its kind would come back on every pass: clear it.
        if (advance) advance(ctx, id);
        else state.put(kind, id, state.get(kind, id), null);
        applied++;
      }
      return applied;
    },
    // Shaped like WeChat's own ids, unique through counters that survive restarts.
    ids: {
      transactionId: () => `4200${seq('txn', 6)}${day()}${digits(10)}`,
      refundId: () => `5030${seq('refund', 7)}${day()}${digits(10)}`,
      prepayId: () => `wx${beijingCompact(clock.now())}${crypto.randomBytes(8).toString('hex')}0000`,
      applymentId: () => Number(`2000002${seq('applyment', 9)}`),
      subMchid: () => `16${seq('submchid', 8)}`,
      applicationNo: () => `1023${day()}${seq('settlement', 8)}`,
      withdrawId: () => `${day()}${seq('withdraw', 8)}${digits(16)}`,
      mediaId: () => crypto.randomBytes(48).toString('base64url'),
      token: () => crypto.randomBytes(32).toString('base64url'),
    },
  };
  return ctx;
}
