// Gives a page or component its texts as `t` (the templates read {{t.x.y}})
// and, for a page, its title in the navigation bar. The language is fixed for
// the life of a page: switching it relaunches the app.
import { setTitle } from '../services/feedback';

export function localized<T extends object>(texts: () => T, title?: (texts: T) => string) {
  return Behavior({
    data: { t: {} as T },
    lifetimes: {
      attached() {
        const value = texts();
        this.setData({ t: value });
        if (title) setTitle(title(value));
      },
    },
  });
}
