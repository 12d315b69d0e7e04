// The industries a merchant may declare, per merchant type, with the
// settlement rule WeChat Pay applies (settlement_id + qualification_type)
// and its fee rate. Only industries that need no special qualification
// documents are offered, and only rates within payment management's 0.6%.
//
// Settlement rule ids: 716 enterprise, 719 individual business, 717
// institutions, 718 government, 720 other organisations (0.6%); 724 and 725
// discounted public services (0.38%); 728 charity (0.2%). The local sandbox
// bills by the same table. WeChat revises its table (费率结算规则对照表):
// check the ids against the current one before going live.
import type { MerchantType } from '../../../../typings/onboarding';
import { MAX_FEE_RATE_PPM } from '../fee';

export interface Industry {
  code: string;
  label: string;
  settlementId: string;
  qualificationType: string;
  feeRatePpm: number;
}

const catering = { label: 'Catering', qualificationType: '餐饮' };
const retail = { label: 'Retail and wholesale', qualificationType: '线下零售' };
const services = { label: 'Local life services', qualificationType: '居民生活服务' };

export const INDUSTRIES: Record<MerchantType, readonly Industry[]> = {
  INDIVIDUAL: [
    { code: 'IND_CATERING', ...catering, settlementId: '719', feeRatePpm: 6000 },
    { code: 'IND_RETAIL', ...retail, settlementId: '719', feeRatePpm: 6000 },
    { code: 'IND_SERVICES', ...services, settlementId: '719', feeRatePpm: 6000 },
  ],
  ENTERPRISE: [
    { code: 'ENT_CATERING', ...catering, settlementId: '716', feeRatePpm: 6000 },
    { code: 'ENT_RETAIL', ...retail, settlementId: '716', feeRatePpm: 6000 },
    { code: 'ENT_SERVICES', ...services, settlementId: '716', feeRatePpm: 6000 },
  ],
  INSTITUTION: [
    {
      code: 'INS_SERVICES',
      label: 'Paid services of the institution',
      settlementId: '717',
      qualificationType: '事业单位',
      feeRatePpm: 6000,
    },
    {
      code: 'INS_PUBLIC',
      label: 'Public hospitals and schools',
      settlementId: '724',
      qualificationType: '公立医院/公立学校',
      feeRatePpm: 3800,
    },
  ],
  GOVERNMENT: [
    {
      code: 'GOV_SERVICES',
      label: 'Government services',
      settlementId: '718',
      qualificationType: '政府机关',
      feeRatePpm: 6000,
    },
    {
      code: 'GOV_PUBLIC_FEES',
      label: 'Public utility and administrative fees',
      settlementId: '725',
      qualificationType: '行政事业性收费',
      feeRatePpm: 3800,
    },
  ],
  SOCIAL_ORG: [
    {
      code: 'ORG_SERVICES',
      label: 'Membership fees and services',
      settlementId: '720',
      qualificationType: '社会组织',
      feeRatePpm: 6000,
    },
    {
      code: 'ORG_CHARITY',
      label: 'Charitable donations',
      settlementId: '728',
      qualificationType: '公益/慈善',
      feeRatePpm: 2000,
    },
  ],
};

export function industryOf(type: MerchantType, code: string | undefined): Industry | undefined {
  return code ? INDUSTRIES[type].find((i) => i.code === code) : undefined;
}

// The catalogue itself must respect the service's fee ceiling.
for (const list of Object.values(INDUSTRIES)) {
  for (const industry of list) {
    if (industry.feeRatePpm > MAX_FEE_RATE_PPM)
      throw new Error(`industry ${industry.code} exceeds the 0.6% fee ceiling`);
  }
}
