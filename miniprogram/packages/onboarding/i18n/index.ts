// The onboarding package's catalogue in the user's language.
import { localized } from '../../../i18n/index';
import { enUS } from './en-US';
import { type OnboardingMessages, zhCN } from './zh-CN';

export type { OnboardingMessages } from './zh-CN';

export const pt = localized<OnboardingMessages>({ 'zh-CN': zhCN, 'en-US': enUS });
