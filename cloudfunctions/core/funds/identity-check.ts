// The admin's identity check that confirms a withdrawal (the original
// service had the admin scan a QR code with WeChat). The check answers the
// withdrawal's one-time challenge:
//  - cloud: SOTER, WeChat's biometric authentication. The app calls
//    wx.startSoterAuthentication with the challenge nonce; the phone's secure
//    element signs a result JSON whose `raw` is that nonce; we check `raw` and
//    have WeChat verify the signature for this openid (soter.verifySignature).
//    A replayed result fails: its nonce belongs to a spent challenge.
//  - local: no WeChat, no biometrics. A six-digit code is delivered out of
//    band, where only the person running the stack sees it: printed in the
//    stack's terminal and appended to <dataDir>/identity-codes.log. Only its
//    hash is stored.
import fs from 'node:fs';
import path from 'node:path';
import type { IdentityProof } from '../../../typings/funds';
import { type ChallengeMethod, codeMatches, type StoredChallenge } from '../domain/funds/withdrawal';
import { formatFen } from '../../../miniprogram/shared/money';
import type { Deps } from '../runtime/deps';

export interface ChallengeTarget {
  appid: string;
  openid: string;
  withdrawalId: string;
  amountFen: number;
}

export interface IdentityCheck {
  readonly method: ChallengeMethod;
  /** Hands the code to the admin out of band (code method only). */
  deliver(target: ChallengeTarget, code: string): Promise<void>;
  verify(openid: string, challenge: StoredChallenge, proof: IdentityProof): Promise<boolean>;
}

/** Asks WeChat whether `signature` over `json` is this user's SOTER signature. */
export type SoterVerifier = (openid: string, json: string, signature: string) => Promise<boolean>;

export const IDENTITY_CODES_FILE = 'identity-codes.log';

export function localCodeCheck(deps: Deps): IdentityCheck {
  return {
    method: 'code',
    async deliver(target, code) {
      const file = path.join(deps.config.dataDir, IDENTITY_CODES_FILE);
      fs.mkdirSync(deps.config.dataDir, { recursive: true });
      const line = {
        at: deps.clock.now().toISOString(),
        appid: target.appid,
        withdrawalId: target.withdrawalId,
        amountFen: target.amountFen,
        code,
      };
      fs.appendFileSync(file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
      // The terminal is this code's delivery channel: a plain, marked line (never a log record, which may be shipped).
      if (!process.env.JEST_WORKER_ID) {
        process.stdout.write(
          `\n  IDENTITY CODE  ${code}  withdrawal ${target.withdrawalId} of ${formatFen(target.amountFen)} (${target.appid}; local stack only)\n\n`,
        );
      }
      deps.log.info(
        { withdrawalId: target.withdrawalId },
        'withdrawal identity code delivered to the terminal and identity-codes.log',
      );
    },
    async verify(_openid, challenge, proof) {
      return 'code' in proof && challenge.method === 'code' && codeMatches(challenge, proof.code);
    },
  };
}

export function soterCheck(verifier: SoterVerifier): IdentityCheck {
  return {
    method: 'soter',
    async deliver() {
      // Nothing to deliver: the device signs the nonce itself.
    },
    async verify(openid, challenge, proof) {
      if (!('resultJSON' in proof) || challenge.method !== 'soter') return false;
      let raw: unknown;
      try {
        raw = (JSON.parse(proof.resultJSON) as { raw?: unknown }).raw;
      } catch {
        return false;
      }
      if (raw !== challenge.nonce) return false;
      return verifier(openid, proof.resultJSON, proof.resultJSONSignature);
    },
  };
}

/** WeChat's soter.verifySignature through the CloudBase SDK's open API call (needs the openapi permission in config.json). */
export const wechatSoterVerifier: SoterVerifier = async (openid, json, signature) => {
  const { createApp, optionsFromEnv } = await import('../adapters/cloudbase/app');
  const app = createApp(optionsFromEnv(process.env));
  const res = await app.callWxOpenApi({
    apiName: '/cgi-bin/soter/verify_signature',
    requestData: { openid, json_string: json, json_signature: signature },
  });
  const result = (typeof res.result === 'string' ? JSON.parse(res.result) : res.result) as
    | { is_ok?: boolean; errcode?: number }
    | undefined;
  return result?.is_ok === true;
};

let override: IdentityCheck | null = null;

/** Tests of the SOTER path install a check whose WeChat side they control. */
export function useIdentityCheck(check: IdentityCheck | null): void {
  override = check;
}

export function identityCheckFor(deps: Deps): IdentityCheck {
  if (override) return override;
  return deps.config.mode === 'cloud' ? soterCheck(wechatSoterVerifier) : localCodeCheck(deps);
}
