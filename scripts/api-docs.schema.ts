// Input schemas as reference rows: each field of an action's zod 4 schema
// with its type, whether it is required, and its limits (lengths, patterns,
// ranges, enums, refinements with their messages). Reads zod's own schema
// definitions (`schema._zod.def`), the structure z.toJSONSchema walks too,
// because JSON Schema drops what a reader most needs here: the messages of
// refinements, trimming, and which object rule belongs to which field.

/** One documented field: `items[].productId`, `proof.code`, ... */
export interface FieldRow {
  field: string;
  type: string;
  /** "yes", "no", or "yes (shape 2 of 2)". */
  required: string;
  rules: string[];
}

export interface SchemaDoc {
  rows: FieldRow[];
  /** Every object refuses fields it does not declare. */
  strict: boolean;
  /** Rules of the whole input that name no field. */
  notes: string[];
}

interface ZodCheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  length?: number;
  value?: number | bigint;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
  path?: PropertyKey[];
  error?: (issue?: unknown) => unknown;
  tx?: (value: unknown) => unknown;
}

interface ZodDef {
  type: string;
  checks?: Array<{ _zod: { def: ZodCheckDef } }>;
  shape?: Record<string, unknown>;
  catchall?: unknown;
  innerType?: unknown;
  element?: unknown;
  options?: unknown[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  keyType?: unknown;
  valueType?: unknown;
  in?: unknown;
  defaultValue?: unknown;
  format?: string;
}

function defOf(schema: unknown): ZodDef {
  const def = (schema as { _zod?: { def?: ZodDef } })?._zod?.def;
  if (!def) throw new Error('not a zod 4 schema');
  return def;
}

/** The message a check was declared with, if it is a plain string. */
function messageOf(check: ZodCheckDef): string | undefined {
  if (typeof check.error !== 'function') return undefined;
  try {
    const message = check.error();
    if (typeof message === 'string') return message;
    if (message && typeof message === 'object' && typeof (message as { message?: unknown }).message === 'string')
      return (message as { message: string }).message;
  } catch {
    // An error map that needs the issue: no fixed message to show.
  }
  return undefined;
}

const literal = (value: unknown): string => `\`${JSON.stringify(value)}\``;

function range(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${min} ${unit}` : `${min}–${max} ${unit}`;
  if (min !== undefined) return `at least ${min} ${unit}`;
  if (max !== undefined) return `at most ${max} ${unit}`;
  return undefined;
}

interface Unwrapped {
  schema: unknown;
  optional: boolean;
  nullable: boolean;
  defaultValue?: unknown;
  hasDefault: boolean;
}

/** Peels optional, default, nullable and friends off a field's schema. */
function unwrap(schema: unknown): Unwrapped {
  const out: Unwrapped = { schema, optional: false, nullable: false, hasDefault: false };
  for (;;) {
    const def = defOf(out.schema);
    if (def.type === 'optional') out.optional = true;
    else if (def.type === 'nullable') out.nullable = true;
    else if (def.type === 'default' || def.type === 'prefault') {
      out.optional = true;
      out.hasDefault = true;
      out.defaultValue = def.defaultValue;
    } else if (def.type !== 'readonly' && def.type !== 'nonoptional' && def.type !== 'catch') break;
    out.schema = def.innerType;
  }
  // A pipe (transform) documents what the client sends: its input side.
  while (defOf(out.schema).type === 'pipe') out.schema = defOf(out.schema).in;
  return out;
}

/** Rules from a schema's own checks (lengths, patterns, ranges, refinements). */
function checkRules(def: ZodDef, unit: string, rules: string[], objectRules: Map<string, string[]>): void {
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  let min: number | undefined;
  let max: number | undefined;
  let minMessage: string | undefined;
  let maxMessage: string | undefined;
  for (const c of checks) {
    switch (c.check) {
      case 'min_length':
        min = c.minimum;
        minMessage = messageOf(c);
        break;
      case 'max_length':
        max = c.maximum;
        maxMessage = messageOf(c);
        break;
      case 'length_equals':
        min = c.length;
        max = c.length;
        break;
      case 'greater_than':
        if (c.inclusive) min = Number(c.value);
        else rules.push(`greater than ${c.value}`);
        break;
      case 'less_than':
        if (c.inclusive) max = Number(c.value);
        else rules.push(`less than ${c.value}`);
        break;
      case 'number_format':
        // safeint / int32 / ...: the type column says "integer".
        break;
      case 'string_format': {
        const message = messageOf(c);
        const what = c.format === 'regex' && c.pattern ? `pattern \`${c.pattern.source}\`` : `format ${c.format}`;
        rules.push(message ? `${what} (message: ${message})` : what);
        break;
      }
      case 'overwrite':
        rules.push(String(c.tx).includes('trim') ? 'trimmed before the checks' : 'normalised before the checks');
        break;
      case 'custom': {
        const message = messageOf(c) ?? 'a custom rule';
        if (c.path && c.path.length > 0) {
          const key = c.path.map(String).join('.');
          objectRules.set(key, [...(objectRules.get(key) ?? []), message]);
        } else rules.push(message);
        break;
      }
      default:
        rules.push(`check ${c.check}`);
    }
  }
  if (def.type === 'number' || def.type === 'int' || def.type === 'bigint') {
    if (min !== undefined && max !== undefined) rules.unshift(`${min} to ${max}`);
    else if (min !== undefined) rules.unshift(`at least ${min}`);
    else if (max !== undefined) rules.unshift(`at most ${max}`);
  } else {
    const text = range(min, max, unit);
    const message = [minMessage, maxMessage].filter(Boolean).join('; ');
    if (text) rules.unshift(message ? `${text} (message: ${message})` : text);
  }
}

function isInteger(def: ZodDef): boolean {
  return (def.checks ?? []).some((c) => c._zod.def.check === 'number_format' && /int/.test(c._zod.def.format ?? ''));
}

/** A short name for a type, as a table cell. */
function typeName(schema: unknown): string {
  const def = defOf(unwrap(schema).schema);
  switch (def.type) {
    case 'string':
      return 'string';
    case 'number':
      return isInteger(def) ? 'integer' : 'number';
    case 'int':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'unknown':
    case 'any':
      return 'any JSON value';
    case 'null':
      return 'null';
    case 'enum':
      return 'string (enum)';
    case 'literal':
      return (def.values ?? []).map(literal).join(' or ');
    case 'array':
      return `array of ${plural(typeName(def.element))}`;
    case 'object':
      return 'object';
    case 'record':
      return `object of ${typeName(def.keyType)} keys to ${plural(typeName(def.valueType))}`;
    case 'union':
      return 'one of the shapes below';
    default:
      return def.type;
  }
}

function plural(name: string): string {
  if (name === 'object') return 'objects';
  if (name === 'string' || name === 'integer' || name === 'number' || name === 'boolean') return `${name}s`;
  return name;
}

interface Walk {
  rows: FieldRow[];
  strict: boolean;
  notes: string[];
}

function walkField(schema: unknown, field: string, required: string, walk: Walk): void {
  const u = unwrap(schema);
  const def = defOf(u.schema);
  const rules: string[] = [];
  const objectRules = new Map<string, string[]>();
  if (u.nullable) rules.push('may be null');
  if (u.hasDefault) rules.push(`default ${literal(u.defaultValue)}`);
  const row: FieldRow = { field, type: typeName(u.schema), required: u.optional ? 'no' : required, rules };
  walk.rows.push(row);
  switch (def.type) {
    case 'enum':
      rules.push(
        `one of ${Object.values(def.entries ?? {})
          .map(literal)
          .join(', ')}`,
      );
      checkRules(def, '', rules, objectRules);
      break;
    case 'array':
      checkRules(def, 'items', rules, objectRules);
      walkChildren(def.element, `${field}[]`, walk, rules);
      break;
    case 'record':
      checkRules(def, 'keys', rules, objectRules);
      break;
    case 'union': {
      const options = def.options ?? [];
      options.forEach((option, i) => {
        const shape = `yes (shape ${i + 1} of ${options.length})`;
        if (defOf(unwrap(option).schema).type === 'object') walkObject(option, field, walk, shape);
        else walkField(option, `${field} (shape ${i + 1})`, shape, walk);
      });
      checkRules(def, '', rules, objectRules);
      break;
    }
    case 'object':
      walkObject(u.schema, field, walk, 'yes', rules);
      break;
    default:
      checkRules(def, 'characters', rules, objectRules);
  }
}

/** An array's elements: objects list their fields under `field[]`; scalars add their rules to the array's row. */
function walkChildren(element: unknown, field: string, walk: Walk, arrayRules: string[]): void {
  const u = unwrap(element);
  const def = defOf(u.schema);
  if (def.type === 'object') {
    walkObject(u.schema, field, walk, 'yes');
    return;
  }
  const rules: string[] = [];
  checkRules(def, 'characters', rules, new Map());
  if (def.type === 'enum')
    rules.unshift(
      `one of ${Object.values(def.entries ?? {})
        .map(literal)
        .join(', ')}`,
    );
  if (rules.length > 0) arrayRules.push(`each: ${rules.join(', ')}`);
}

function walkObject(schema: unknown, prefix: string, walk: Walk, required: string, ownRules?: string[]): void {
  const def = defOf(unwrap(schema).schema);
  if (defOf(def.catchall ?? { _zod: { def: { type: 'unknown' } } }).type !== 'never') walk.strict = false;
  const objectRules = new Map<string, string[]>();
  const rules = ownRules ?? [];
  checkRules(def, '', rules, objectRules);
  const start = walk.rows.length;
  for (const [key, child] of Object.entries(def.shape ?? {})) {
    walkField(child, prefix ? `${prefix}.${key}` : key, required, walk);
  }
  // Object refinements that name a field (`path: ['refundStatus']`) go on that field's row.
  for (const [key, messages] of objectRules) {
    const name = prefix ? `${prefix}.${key}` : key;
    const row = walk.rows.slice(start).find((r) => r.field === name);
    if (row) row.rules.push(...messages);
    else walk.notes.push(...messages.map((m) => `${name}: ${m}`));
  }
  // Rules of the top-level object with no field to hang on.
  if (!prefix && rules.length > 0) walk.notes.push(...rules);
}

/** The rows of an action's input (a zod object schema). */
export function describeInput(schema: unknown): SchemaDoc {
  const walk: Walk = { rows: [], strict: true, notes: [] };
  const def = defOf(unwrap(schema).schema);
  if (def.type === 'object') walkObject(schema, '', walk, 'yes');
  else walkField(schema, '(data)', 'yes', walk);
  return walk;
}

/** Length and pattern limits of a string schema (for prose about the envelope). */
export function stringLimits(schema: unknown): { min?: number; max?: number; pattern?: string } {
  const def = defOf(unwrap(schema).schema);
  const out: { min?: number; max?: number; pattern?: string } = {};
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'min_length') out.min = d.minimum;
    if (d.check === 'max_length') out.max = d.maximum;
    if (d.check === 'string_format' && d.pattern) out.pattern = d.pattern.source;
  }
  return out;
}

/** A one-line shape of a schema, TypeScript-like: `{ status: "SUCCESS" | "FAIL"; reason?: string }`. */
export function shapeOf(schema: unknown): string {
  const u = unwrap(schema);
  const def = defOf(u.schema);
  let text: string;
  switch (def.type) {
    case 'object':
      text = `{ ${Object.entries(def.shape ?? {})
        .map(([key, child]) => `${key}${unwrap(child).optional ? '?' : ''}: ${shapeOf(child)}`)
        .join('; ')} }`;
      break;
    case 'enum':
      text = Object.values(def.entries ?? {})
        .map((v) => JSON.stringify(v))
        .join(' | ');
      break;
    case 'literal':
      text = (def.values ?? []).map((v) => JSON.stringify(v)).join(' | ');
      break;
    case 'union':
      text = (def.options ?? []).map(shapeOf).join(' | ');
      break;
    case 'array':
      text = `Array<${shapeOf(def.element)}>`;
      break;
    case 'record':
      text = `Record<${shapeOf(def.keyType)}, ${shapeOf(def.valueType)}>`;
      break;
    case 'number':
      text = isInteger(def) ? 'integer' : 'number';
      break;
    default:
      text = def.type;
  }
  return u.nullable ? `${text} | null` : text;
}
