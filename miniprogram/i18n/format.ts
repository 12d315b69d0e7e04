// The catalogues' two pure pieces, free of wx so that the server's tests can
// word errors too: the shape a translation must match, and placeholders.

/** The same shape with every text widened to string: what a translation must match. */
export type Catalogue<T> = { [K in keyof T]: T[K] extends string ? string : Catalogue<T[K]> };

/** Fills {name} placeholders. A placeholder without a value is a bug, so it throws rather than show "{name}". */
export function format(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(params, name)) {
      throw new Error(`i18n: no value for {${name}} in "${template}"`);
    }
    return String(params[name]);
  });
}
