// The onboarding subpackage's pages (the entry, intro, is Routes.onboardingIntro).
export const OnboardingRoutes = {
  intro: '/packages/onboarding/pages/intro/index',
  type: '/packages/onboarding/pages/type/index',
  form: '/packages/onboarding/pages/form/index',
  documents: '/packages/onboarding/pages/documents/index',
  review: '/packages/onboarding/pages/review/index',
  status: '/packages/onboarding/pages/status/index',
  funds: '/packages/funds/pages/dashboard/index',
} as const;
