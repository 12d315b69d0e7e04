// Personal data in the form: sealed before it is stored, opened only to
// validate and to build the WeChat Pay request, masked in every response.
import type { StepData, StepName } from '../../../../typings/onboarding';
import type { Sealer } from '../../ports/sealer';
import { maskBankAccount, maskEmail, maskIdNumber, maskName, maskPhone } from '../mask';
import { isSensitive, STEPS } from './form';

type Values = Record<string, string | undefined>;

function mapSensitive(steps: StepData, fn: (value: string, step: StepName, field: string) => string): StepData {
  const out = {} as Record<StepName, Values>;
  for (const step of STEPS) {
    const values: Values = {};
    for (const [field, value] of Object.entries(steps[step] as Values)) {
      if (value !== undefined) values[field] = isSensitive(step, field) ? fn(value, step, field) : value;
    }
    out[step] = values;
  }
  return out as StepData;
}

export function sealSteps(plain: StepData, sealer: Sealer): StepData {
  return mapSensitive(plain, (value) => sealer.seal(value));
}

/** Seals one step's values (the one being saved). */
export function sealStep(step: StepName, values: Values, sealer: Sealer): Values {
  const out: Values = {};
  for (const [field, value] of Object.entries(values)) {
    if (value !== undefined) out[field] = isSensitive(step, field) ? sealer.seal(value) : value;
  }
  return out;
}

export function openSteps(stored: StepData, sealer: Sealer): StepData {
  return mapSensitive(stored, (value) => sealer.open(value));
}

/** An address keeps its first six characters (the district), the rest is hidden. */
export function maskAddress(address: string): string {
  const chars = [...address];
  return chars.length <= 6 ? '*'.repeat(chars.length) : `${chars.slice(0, 6).join('')}****`;
}

export function maskSteps(plain: StepData): StepData {
  return mapSensitive(plain, (value, step, field) => {
    if (field === 'number') return maskIdNumber(value);
    if (field === 'accountNumber') return maskBankAccount(value);
    if (field === 'mobile') return maskPhone(value);
    if (field === 'email') return maskEmail(value);
    if (field === 'address') return maskAddress(value);
    // A corporate account is in the entity's (public) name; a personal one in a person's.
    if (step === 'bank' && field === 'accountName' && plain.bank.accountType === 'CORPORATE') return value;
    return maskName(value);
  });
}
