// The common requirements of payment management, each refused with its own
// reason: a domestic entity; the mini program's own entity; an already bound
// merchant account at 0.6% or less and directly connected; no third-party
// platform acting for the mini program.
import type { RequirementStatus, SubjectStep } from '../../../../typings/onboarding';
import { type FieldProblems, fieldProblem } from '../../../../miniprogram/shared/errors';
import type { AppError } from '../../errors';
import { formatRate, MAX_FEE_RATE_PPM } from '../fee';
import { OnboardingErrors } from './errors';
import { type Identity, type RegisteredMiniProgram, thirdPartyRefused } from '../mini-program';

/** The merchant account bound to the mini program, as far as the requirements care. */
export interface BoundAccount {
  feeRatePpm: number;
  /** Accounts bound outside payment management may come through an acquirer (indirect). */
  connection?: 'DIRECT' | 'INDIRECT';
}

export interface RequirementInput {
  miniProgram: RegisteredMiniProgram;
  identity: Identity;
  bound: BoundAccount | null;
}

function failures(input: RequirementInput): Array<[RequirementStatus['code'], AppError]> {
  const { miniProgram, identity } = input;
  const bound = accountOf(input);
  const out: Array<[RequirementStatus['code'], AppError]> = [];
  if (thirdPartyRefused(miniProgram, identity)) out.push(['NO_THIRD_PARTY', OnboardingErrors.thirdParty()]);
  if (!miniProgram.entity.domestic) out.push(['DOMESTIC', OnboardingErrors.overseasEntity()]);
  if (bound && bound.feeRatePpm > MAX_FEE_RATE_PPM)
    out.push(['FEE_RATE', OnboardingErrors.feeRateTooHigh(bound.feeRatePpm)]);
  if (bound && bound.connection === 'INDIRECT') out.push(['DIRECT_CONNECTION', OnboardingErrors.notDirect()]);
  return out;
}

/** The account the fee-rate and connection rules judge: the one we bound, else the one the registration record declares. */
function accountOf({ bound, miniProgram }: RequirementInput): BoundAccount | null {
  return bound ?? miniProgram.existingMerchant ?? null;
}

/** Throws the first unmet requirement that concerns the mini program itself. */
export function assertRequirements(input: RequirementInput): void {
  const failed = failures(input)[0];
  if (failed) throw failed[1];
}

/** Every requirement with how this mini program stands against it, for the intro page. */
export function requirementStatus(input: RequirementInput): RequirementStatus[] {
  const failed = new Set(failures(input).map(([code]) => code));
  const { miniProgram } = input;
  const bound = accountOf(input);
  return [
    {
      code: 'DOMESTIC',
      title: 'Domestic entities only',
      detail:
        'The entity must be registered in mainland China. Legal representatives from abroad are accepted; entities registered abroad are not.',
      met: !failed.has('DOMESTIC'),
    },
    {
      code: 'SAME_ENTITY',
      title: "The mini program's own entity",
      detail: `The merchant account is opened for the entity that registered this mini program: ${miniProgram.entity.name} (${miniProgram.entity.creditCode}).`,
      met: true,
    },
    {
      code: 'FEE_RATE',
      title: 'Fee rate of 0.6% or lower',
      detail: bound
        ? `The merchant account already bound to this mini program charges ${formatRate(bound.feeRatePpm)}; it must be 0.6% or lower.`
        : 'If the mini program already has a merchant account, its fee rate must be 0.6% or lower.',
      met: !failed.has('FEE_RATE'),
    },
    {
      code: 'DIRECT_CONNECTION',
      title: 'Direct connection',
      detail: 'The merchant account is connected directly to WeChat Pay, not through an acquirer.',
      met: !failed.has('DIRECT_CONNECTION'),
    },
    {
      code: 'NO_THIRD_PARTY',
      title: 'No third-party platform',
      detail: 'Mini programs operated through an authorised third-party platform cannot use payment management.',
      met: !failed.has('NO_THIRD_PARTY'),
    },
  ];
}

/** Entity names compare ignoring spacing and full-width brackets, which licences print either way. */
export function normaliseEntityName(name: string): string {
  return name.replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Problems when the applicant entity is not the mini program's registered entity. */
export function entityProblems(subject: SubjectStep, miniProgram: RegisteredMiniProgram): FieldProblems {
  const problems: FieldProblems = {};
  const { entity } = miniProgram;
  if (subject.name !== undefined && normaliseEntityName(subject.name) !== normaliseEntityName(entity.name)) {
    problems['subject.name'] = fieldProblem('mustBeRegisteredEntity', { name: entity.name });
  }
  if (subject.creditCode !== undefined && subject.creditCode !== entity.creditCode.toUpperCase()) {
    problems['subject.creditCode'] = fieldProblem('mustBeRegisteredCreditCode', { creditCode: entity.creditCode });
  }
  return problems;
}
