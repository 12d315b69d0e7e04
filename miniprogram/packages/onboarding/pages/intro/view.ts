// What the intro shows (pure, in the current language): each merchant type
// with its definition and the documents it needs, and each requirement with
// how this mini program stands against it.
import type { MerchantType, OnboardingIntro, RequirementStatus } from '../../../../../typings/onboarding';
import { format } from '../../../../i18n/index';
import { pt } from '../../i18n/index';
import { merchantTypeDefinition, merchantTypeTitle, requiredDocuments, requirementText } from '../../utils/fields';

export interface TypeView {
  type: MerchantType;
  title: string;
  definition: string;
  documents: string;
}

export interface RequirementView {
  code: RequirementStatus['code'];
  title: string;
  detail: string;
  met: boolean;
  /** Met or not, in words, for screen readers (the icon alone says it in colour). */
  stateLabel: string;
}

export interface IntroView {
  lead: string;
  types: TypeView[];
  requirements: RequirementView[];
}

export function introView(intro: OnboardingIntro): IntroView {
  const t = pt().intro;
  return {
    lead: format(t.lead, { name: intro.miniProgram.name }),
    types: intro.types.map(({ type }) => ({
      type,
      title: merchantTypeTitle(type),
      definition: merchantTypeDefinition(type),
      documents: format(t.documents, { documents: requiredDocuments(type) }),
    })),
    requirements: intro.requirements.map((r) => ({
      code: r.code,
      ...requirementText(r, intro),
      met: r.met,
      stateLabel: r.met ? t.met : t.unmet,
    })),
  };
}
