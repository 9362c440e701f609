import * as z from 'zod/mini';
import { isTomlTable } from './toml-format.ts';

/**
 * The config schema is written as plain shapes, turned into zod schemas only when a value fails.
 *
 * Why: building the zod schema of Codex's config (~90 schema objects, each with its own methods)
 * cost ~2 ms of every start that loaded the config code, and zod's parse builds an output object
 * and an issue list for every field it visits, even for a value that passes: on a config with 500
 * providers that was most of `validate` and of the garbage collector's work. Most configs pass, so
 * `passes()` answers that from the shapes without allocating, and zod (through `toZod()`, built
 * once, on the first failure) explains what is wrong. test/unit/schema-passes.test.ts holds
 * `passes()` to zod's verdict.
 */
export type Shape =
  | { readonly type: 'string' | 'boolean' | 'number' | 'unknown' }
  /** A TOML integer, optionally in a range (Codex's u8/u16/u32/usize/non-zero types). */
  | { readonly type: 'bigint'; readonly min?: bigint; readonly max?: bigint }
  | { readonly type: 'optional'; readonly inner: Shape }
  | { readonly type: 'enum'; readonly values: readonly [string, ...string[]] }
  | { readonly type: 'literal'; readonly value: string }
  | { readonly type: 'union'; readonly options: readonly [Shape, Shape, ...Shape[]] }
  | { readonly type: 'array'; readonly element: Shape }
  /** A table with any string keys. */
  | { readonly type: 'record'; readonly value: Shape }
  /**
   * A table with known fields. Other keys are refused, as `codex --strict-config` does, unless
   * `rest` gives their shape (a table of named fields and free keys, like Codex's `[agents]`).
   * `closed: 'always'` marks a table Codex refuses unknown keys in even without --strict-config.
   */
  | {
      readonly type: 'object';
      readonly fields: Readonly<Record<string, Shape>>;
      readonly rest?: Shape;
      readonly closed?: 'strict' | 'always';
    };

export const t = {
  string: { type: 'string' } as Shape,
  boolean: { type: 'boolean' } as Shape,
  /** A TOML integer (integers are parsed as bigint, so 3.0 is not one). */
  bigint: { type: 'bigint' } as Shape,
  /** An integer in [min, max] (either bound optional). */
  int: (min?: bigint, max?: bigint): Shape => ({
    type: 'bigint',
    ...(min === undefined ? {} : { min }),
    ...(max === undefined ? {} : { max }),
  }),
  number: { type: 'number' } as Shape,
  unknown: { type: 'unknown' } as Shape,
  optional: (inner: Shape): Shape => ({ type: 'optional', inner }),
  enum: (values: readonly [string, ...string[]]): Shape => ({ type: 'enum', values }),
  literal: (value: string): Shape => ({ type: 'literal', value }),
  union: (options: readonly [Shape, Shape, ...Shape[]]): Shape => ({ type: 'union', options }),
  array: (element: Shape): Shape => ({ type: 'array', element }),
  record: (value: Shape): Shape => ({ type: 'record', value }),
  strictObject: (fields: Record<string, Shape>): Shape => ({ type: 'object', fields }),
  object: (
    fields: Record<string, Shape>,
    options: { rest?: Shape | undefined; closed?: 'strict' | 'always' } = {},
  ): Shape => ({
    type: 'object',
    fields,
    ...(options.rest ? { rest: options.rest } : {}),
    ...(options.closed ? { closed: options.closed } : {}),
  }),
};

/**
 * A lookup table built at load time, written `dict({ __proto__: null, a: …, b: … })`. V8 builds an
 * object literal that starts with `__proto__: null` as a hash table in one step; the same literal
 * with a prototype gets a new hidden class for each of its keys (measured: the 125 top-level
 * fields cost ~1 M instructions of every start).
 */
export const dict = <T extends { __proto__: null }>(table: T): Omit<T, '__proto__'> => table;

/** Whether `value` passes `shape`, with zod 4's rules, without allocating. */
export function passes(shape: Shape, value: unknown): boolean {
  switch (shape.type) {
    case 'unknown':
      return true;
    case 'string':
    case 'boolean':
      return typeof value === shape.type;
    case 'bigint':
      return (
        typeof value === 'bigint' &&
        (shape.min === undefined || value >= shape.min) &&
        (shape.max === undefined || value <= shape.max)
      );
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'optional':
      return value === undefined || passes(shape.inner, value);
    case 'enum':
      return (shape.values as readonly unknown[]).includes(value);
    case 'literal':
      return value === shape.value;
    case 'union':
      return shape.options.some((option) => passes(option, value));
    case 'array':
      return Array.isArray(value) && arrayPasses(shape.element, value);
    case 'record':
      return recordPasses(shape.value, value);
    case 'object':
      return objectPasses(shape, value);
  }
}

/** By index, as zod does: a hole in a sparse array is an undefined element, not a skipped one. */
function arrayPasses(element: Shape, value: unknown[]): boolean {
  for (let i = 0; i < value.length; i++) if (!passes(element, value[i])) return false;
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function recordPasses(shape: Shape, value: unknown): boolean {
  // zod's record wants a plain object (prototype Object's or none; not a Date): a TOML table.
  if (!isTomlTable(value)) return false;
  for (const key of Object.keys(value)) {
    if (key === '__proto__') continue;
    if (!passes(shape, value[key])) return false;
  }
  return true;
}

/**
 * Checks the keys the value has (a provider sets 4 of its 26 fields), then the fields that must
 * be there; zod walks every field of the shape, which gives the same answer for these shapes
 * (no field is named like a property of Object.prototype).
 */
function objectPasses(shape: Extract<Shape, { type: 'object' }>, value: unknown): boolean {
  if (!isObject(value)) return false;
  const fields = shape.fields;
  for (const key in value) {
    const field = Object.hasOwn(fields, key) ? fields[key] : shape.rest;
    if (field === undefined) return false; // strict: an unknown key
    if (key !== '__proto__' && !passes(field, value[key])) return false;
  }
  for (const key of requiredFields(shape)) if (!passes(fields[key]!, value[key])) return false;
  return true;
}

/** A key of a strict table that its shape does not know, and the path of that table. */
export interface UnknownKey {
  path: (string | number)[];
  key: string;
}

/**
 * The unknown keys of `value`, when they are all that keeps it from passing `shape`; undefined
 * when anything else fails (or an unknown key sits inside a union, which zod reports as the
 * union's failure). Real configs fail mostly by keys Codex does not know: this names them
 * without building zod's schema (measured: ~70 M instructions, ~7 ms, of such a `validate`). In
 * zod's order: a table's fields in the shape's order, then the table's own unknown keys.
 */
export function unknownKeysOnly(shape: Shape, value: unknown): UnknownKey[] | undefined {
  const found: UnknownKey[] = [];
  return collectUnknownKeys(shape, value, [], found) ? found : undefined;
}

function collectUnknownKeys(
  shape: Shape,
  value: unknown,
  path: (string | number)[],
  found: UnknownKey[],
): boolean {
  switch (shape.type) {
    case 'optional':
      return value === undefined || collectUnknownKeys(shape.inner, value, path, found);
    case 'array':
      if (!Array.isArray(value)) return false;
      for (let i = 0; i < value.length; i++) {
        if (!collectUnknownKeys(shape.element, value[i], [...path, i], found)) return false;
      }
      return true;
    case 'record':
      if (!isTomlTable(value)) return false;
      for (const key of Object.keys(value)) {
        if (key === '__proto__') continue;
        if (!collectUnknownKeys(shape.value, value[key], [...path, key], found)) return false;
      }
      return true;
    case 'object': {
      if (!isObject(value)) return false;
      const fields = shape.fields;
      for (const key of Object.keys(fields)) {
        if (key === '__proto__') continue;
        const field = Object.hasOwn(value, key) ? value[key] : undefined;
        if (!collectUnknownKeys(fields[key]!, field, [...path, key], found)) return false;
      }
      for (const key in value) {
        if (Object.hasOwn(fields, key)) continue;
        if (!shape.rest) found.push({ path, key });
        else if (!collectUnknownKeys(shape.rest, value[key], [...path, key], found)) return false;
      }
      return true;
    }
    default:
      return passes(shape, value);
  }
}

const required = new WeakMap<Shape, readonly string[]>();
/** The fields that refuse `undefined`, i.e. that must be present. */
function requiredFields(shape: Extract<Shape, { type: 'object' }>): readonly string[] {
  let keys = required.get(shape);
  if (!keys) {
    keys = Object.keys(shape.fields).filter((k) => k !== '__proto__' && !passes(shape.fields[k]!, undefined));
    required.set(shape, keys);
  }
  return keys;
}

const built = new WeakMap<Shape, z.ZodMiniType>();

/** The zod schema of a shape (built once per shape object). */
export function toZod(shape: Shape): z.ZodMiniType {
  let schema = built.get(shape);
  if (!schema) {
    schema = buildZod(shape);
    built.set(shape, schema);
  }
  return schema;
}

function buildZod(shape: Shape): z.ZodMiniType {
  switch (shape.type) {
    case 'string':
      return z.string();
    case 'boolean':
      return z.boolean();
    case 'bigint': {
      const checks = [
        ...(shape.min === undefined ? [] : [z.gte(shape.min)]),
        ...(shape.max === undefined ? [] : [z.lte(shape.max)]),
      ];
      return checks.length ? z.bigint().check(...checks) : z.bigint();
    }
    case 'number':
      return z.number();
    case 'unknown':
      return z.unknown();
    case 'optional':
      return z.optional(toZod(shape.inner));
    case 'enum':
      return z.enum(shape.values as [string, ...string[]]);
    case 'literal':
      return z.literal(shape.value);
    case 'union':
      return z.union(shape.options.map(toZod) as [z.ZodMiniType, z.ZodMiniType, ...z.ZodMiniType[]]);
    case 'array':
      return z.array(toZod(shape.element));
    case 'record':
      return z.record(z.string(), toZod(shape.value));
    case 'object': {
      const fields = Object.fromEntries(Object.entries(shape.fields).map(([k, s]) => [k, toZod(s)]));
      return shape.rest ? z.catchall(z.object(fields), toZod(shape.rest)) : z.strictObject(fields);
    }
  }
}
