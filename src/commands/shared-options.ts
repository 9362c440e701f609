import { UsageError } from '../errors.ts';

/**
 * A command's options, as commander hands them over (camelCased, with the positionals), checked
 * and typed. The schemas look like zod's but are plain data with a predicate: these shapes are few
 * and flat, and building a zod object schema and parsing with it cost ~3 M instructions (about
 * 1 ms) of every command's start (measured with callgrind on `validate`).
 */
export interface OptionSchema<T> {
  /** What a valid value is, for the error message: "a string". */
  readonly expected: string;
  readonly accepts: (value: unknown) => boolean;
  /** The value when the option is absent. */
  readonly fallback?: T;
  /** Never set: carries T for the type of the parsed options. */
  readonly type?: T;
}

type Fields = Record<string, OptionSchema<unknown>>;
type Infer<S> = S extends OptionSchema<infer T> ? T : never;
type OptionalKeys<F extends Fields> = { [K in keyof F]: undefined extends Infer<F[K]> ? K : never }[keyof F];
/** The parsed options: a field whose schema allows undefined is an optional property. */
export type Options<F extends Fields> = {
  [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]>;
} & { [K in OptionalKeys<F>]?: Infer<F[K]> };

const schema = <T>(expected: string, accepts: (value: unknown) => boolean): OptionSchema<T> => ({
  expected,
  accepts,
});

export const opt = {
  string: () => schema<string>('a string', (v) => typeof v === 'string'),
  boolean: () => schema<boolean>('true or false', (v) => typeof v === 'boolean'),
  unknown: () => schema<unknown>('anything', () => true),
  enum: <const V extends string>(values: readonly [V, ...V[]]) =>
    schema<V>(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, (v) =>
      (values as readonly unknown[]).includes(v),
    ),
  optional: <T>(inner: OptionSchema<T>) =>
    schema<T | undefined>(inner.expected, (v) => v === undefined || inner.accepts(v)),
  /** `inner`, with `fallback` when the option is absent. */
  default: <T>(inner: OptionSchema<T>, fallback: T): OptionSchema<T> => ({ ...inner, fallback }),
  array: <T>(element: OptionSchema<T>) =>
    schema<T[]>(`a list, each ${element.expected}`, (v) => Array.isArray(v) && v.every(element.accepts)),
  /** Exactly these positional values, in order. */
  tuple: <const S extends readonly OptionSchema<unknown>[]>(items: S) =>
    schema<{ -readonly [K in keyof S]: Infer<S[K]> }>(
      items.map((s) => s.expected).join(', then '),
      (v) => Array.isArray(v) && v.length === items.length && items.every((s, i) => s.accepts(v[i])),
    ),
  /** A command's options; keys commander sets that are not named here are dropped. */
  object: <F extends Fields>(fields: F): F => fields,
};

/** The options of the commands that store a key in a shell rc file (cli.ts's keyOptions). */
export const keyStoreOptions = () => ({
  shell: opt.optional(opt.string()),
  rcFile: opt.optional(opt.string()),
  secretsFile: opt.optional(opt.boolean()),
});

/** Parse a command's options; a mismatch is a usage error naming the option. */
export function parseOptions<F extends Fields>(fields: F, raw: unknown): Options<F> {
  const given = (raw ?? {}) as Record<string, unknown>;
  const parsed: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const value = given[name] === undefined ? field.fallback : given[name];
    if (!field.accepts(value)) {
      const what =
        name === 'positionals'
          ? 'arguments'
          : `option --${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new UsageError(`Invalid ${what}: expected ${field.expected}.`, {
        hint: 'Run the command with --help to see its options.',
      });
    }
    if (value !== undefined) parsed[name] = value;
  }
  return parsed as Options<F>;
}
