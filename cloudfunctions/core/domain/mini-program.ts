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
}

/** Who is calling, as WeChat's runtime tells it. */
export interface Identity {
  openid: string;
  appid: string;
  /** Set when the call was made by another account (a third-party platform) for this mini program. */
  fromAppid?: string;
}
