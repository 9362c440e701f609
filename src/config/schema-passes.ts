import type * as z from 'zod/mini';

/**
 * Whether `value` passes `schema`, answered without allocating. zod's parse builds an output
 * object and an issue list for every field it visits: on a config with 500 providers and 500 MCP
 * servers that was the largest part of `validate` and of the garbage collector's work, although a
 * config that passes needs none of it. checkSchema asks this first and hands only a failing value
 * to zod, for its issues.
 *
 * It reads the same schema objects (`_zod.def`) and follows zod 4's rules for the kinds
 * schema.ts uses; test/unit/schema-passes.test.ts holds it to zod's verdict. A kind or a check it
 * does not know answers false, which only means zod decides.
 */
export function passes(schema: z.ZodMiniType, value: unknown): boolean {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  if (def.checks !== undefined && def.checks.length > 0) return false;
  switch (def.type) {
    case 'unknown':
      return true;
    case 'string':
    case 'boolean':
    case 'bigint':
      return typeof value === def.type;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'optional':
      return value === undefined || passes(def.innerType, value);
    case 'enum':
      return enumValues(def).has(value);
    case 'literal':
      return def.values.includes(value);
    case 'union':
      return def.options.some((option) => passes(option, value));
    case 'array':
      return Array.isArray(value) && arrayPasses(def.element, value);
    case 'record':
      return recordPasses(def, value);
    case 'object':
      return objectPasses(def, value);
    default:
      return false;
  }
}

type Schema = z.ZodMiniType;
type Def =
  | { type: 'unknown' | 'string' | 'boolean' | 'bigint' | 'number' | 'never'; checks?: unknown[] }
  | { type: 'optional'; innerType: Schema; checks?: unknown[] }
  | { type: 'enum'; entries: Record<string, unknown>; checks?: unknown[] }
  | { type: 'literal'; values: unknown[]; checks?: unknown[] }
  | { type: 'union'; options: Schema[]; checks?: unknown[] }
  | { type: 'array'; element: Schema; checks?: unknown[] }
  | { type: 'record'; keyType: Schema; valueType: Schema; checks?: unknown[] }
  | { type: 'object'; shape: Record<string, Schema>; catchall?: Schema; checks?: unknown[] };

const enumSets = new WeakMap<object, Set<unknown>>();
function enumValues(def: Extract<Def, { type: 'enum' }>): Set<unknown> {
  let values = enumSets.get(def);
  if (!values) {
    // zod drops the reverse entries of a numeric TypeScript enum; schema.ts has only strings.
    values = new Set(Object.values(def.entries));
    enumSets.set(def, values);
  }
  return values;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** zod's isPlainObject: an object whose constructor is Object (or that has none). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** By index, as zod does: a hole in a sparse array is an undefined element, not a skipped one. */
function arrayPasses(element: Schema, value: unknown[]): boolean {
  for (let i = 0; i < value.length; i++) if (!passes(element, value[i])) return false;
  return true;
}

function recordPasses(def: Extract<Def, { type: 'record' }>, value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  // Only string keys are supported (schema.ts has no other record); anything else goes to zod.
  if (keyKind(def.keyType) !== 'string') return false;
  for (const key of Object.keys(value)) {
    if (key === '__proto__') continue;
    if (!passes(def.valueType, value[key])) return false;
  }
  return true;
}

function keyKind(schema: Schema): string | undefined {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  return def.checks !== undefined && def.checks.length > 0 ? undefined : def.type;
}

function objectPasses(def: Extract<Def, { type: 'object' }>, value: unknown): boolean {
  if (!isObject(value)) return false;
  for (const key in def.shape) {
    if (key === '__proto__') continue;
    if (!passes(def.shape[key]!, value[key])) return false;
  }
  if (def.catchall === undefined) return true; // unknown keys are stripped, not refused
  const strict = keyKind(def.catchall) === 'never';
  for (const key in value) {
    if (Object.hasOwn(def.shape, key)) continue;
    if (strict || !passes(def.catchall, value[key])) return false;
  }
  return true;
}
