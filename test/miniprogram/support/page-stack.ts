// The pages a test has opened, for getCurrentPages() (navigation decides
// between navigateTo and redirectTo by its length).

export interface OpenPage {
  route: string;
  options: Record<string, string>;
  /** The page component's `this`. */
  instance: Record<string, any>;
}

export const pageStack: OpenPage[] = [];
