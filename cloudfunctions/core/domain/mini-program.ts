// The mini program as the rules see it: who registered it and how it is
// served, and who is calling. Configuration (config.ts) and the runtime
// (runtime/identity.ts) fill these from the deployment and WeChat's context.

export interface RegisteredMiniProgram {
  appid: string;
  name: string;
  /** The registered entity behind the mini program (from its registration record). */
  entity: { name: string; creditCode: string; domestic: boolean };
  /** Served by an authorised third-party platform: payment management refuses those. */
  thirdPartyPlatform: boolean;
  /**
   * A merchant account the mini program already had before payment management
   * (bound on the WeChat Pay side, not by us), as the deployment declares it.
   * The original service admitted such a mini program only when that account
   * charged 0.6% or less and was directly connected ("已绑定商户号的小程序，
   * 商户号需满足费率不高于0.6%且为直连商户"; service introduction:
   * https://developers.weixin.qq.com/miniprogram/dev/platform-capabilities/business-capabilities/ministore/wxafunds/Introduction.html).
   */
  existingMerchant?: ExistingMerchant;
  /**
   * Serve this mini program although an authorised third-party platform runs
   * it or calls for it (WX_FROM_APPID). Default false: refused. When true its
   * calls are served under its own appid only, like any other mini program.
   */
  serveThirdPartyPlatform?: boolean;
}

/** A merchant account declared in the registration record (see `existingMerchant`). */
export interface ExistingMerchant {
  mchid: string;
  /** Fee rate in parts per million: 6000 = 0.6%. */
  feeRatePpm: number;
  connection: 'DIRECT' | 'INDIRECT';
}

/** Whether a call, or the mini program itself, comes through a third-party platform that is not allowed. */
export function thirdPartyRefused(miniProgram: RegisteredMiniProgram, identity: Identity): boolean {
  return Boolean(identity.fromAppid || miniProgram.thirdPartyPlatform) && !miniProgram.serveThirdPartyPlatform;
}

/** Who is calling, as WeChat's runtime tells it. */
export interface Identity {
  openid: string;
  appid: string;
  /** Set when the call was made by another account (a third-party platform) for this mini program. */
  fromAppid?: string;
}
