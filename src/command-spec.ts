// A command declares itself once: its summary, arguments, options (typed, with defaults) and
// examples. src/cli.ts builds the commander program from these specs, and the options a command's
// `run` receives are typed from the same declaration, so an option exists in exactly one place.
import type { Context } from './context.ts';
import { SHELLS } from './shell/quote.ts';

/** An on/off switch: `--force`. With `negatable`, `--no-<name>` too (the value is then tri-state). */
export interface FlagSpec {
  readonly kind: 'flag';
  readonly description: string;
  readonly short?: string;
  /** The help line of `--no-<name>`. */
  readonly negatable?: string;
}

/** An option with one value: `--base-url <url>`. */
export interface ValueSpec {
  readonly kind: 'value';
  /** The placeholder in help: `url` gives `--base-url <url>`. */
  readonly value: string;
  readonly description: string;
  readonly short?: string;
  readonly choices?: readonly string[];
  readonly default?: string;
  readonly required?: boolean;
}

/** A repeatable option: `--header K=V --header K2=V2` gives `['K=V', 'K2=V2']`. */
export interface ListSpec {
  readonly kind: 'list';
  readonly value: string;
  readonly description: string;
  readonly short?: string;
}

export type OptionSpec = FlagSpec | ValueSpec | ListSpec;

/** A positional argument; its value reaches `run` under the camelCased name (`provider-id` → `providerId`). */
export interface ArgSpec {
  readonly name: string;
  readonly description?: string;
  readonly required?: boolean;
  /** Takes every remaining word: the value is a list. */
  readonly variadic?: boolean;
}

export interface CommandSpec {
  /** One line, for the command list and the top of `--help`. */
  readonly summary: string;
  readonly args?: readonly ArgSpec[];
  /** Keyed by the camelCased long flag: `dryRun` is `--dry-run`. */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Command lines shown under "Examples:" in `--help` (every command has at least one). */
  readonly examples: readonly [string, ...string[]];
  /** More help after the examples (exit codes, notes). */
  readonly help?: string;
}

/** Declare a spec, keeping its literal types (for OptionsOf). */
export function defineSpec<const S extends CommandSpec>(spec: S): S {
  return spec;
}

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

type ValueOf<O> = O extends FlagSpec
  ? boolean
  : O extends ListSpec
    ? string[]
    : O extends { readonly choices: readonly (infer C)[] }
      ? C
      : string;

/** Options that always have a value: a default, or required. */
type Present<O> = O extends { readonly default: string } | { readonly required: true } ? true : false;

type OptionValues<M> = {
  -readonly [K in keyof M as Present<M[K]> extends true ? K : never]: ValueOf<M[K]>;
} & {
  -readonly [K in keyof M as Present<M[K]> extends true ? never : K]?: ValueOf<M[K]>;
};

type ArgValues<A> = A extends readonly [infer First, ...infer Rest]
  ? (First extends { readonly name: infer N extends string; readonly variadic: true }
      ? { [K in Camel<N>]: string[] }
      : First extends { readonly name: infer N extends string; readonly required: true }
        ? { [K in Camel<N>]: string }
        : First extends { readonly name: infer N extends string }
          ? { [K in Camel<N>]?: string }
          : unknown) &
      ArgValues<Rest>
  : unknown;

/** What `run` receives: every option and argument of the spec, typed. */
export type OptionsOf<S extends CommandSpec> = OptionValues<S['options']> &
  (S['args'] extends readonly ArgSpec[] ? ArgValues<S['args']> : unknown);

/**
 * What `run` may return instead of a bare exit code: the command's result object. The CLI prints
 * it in one place — as JSON under `--json`, else through the module's `render` — so a command's
 * text and JSON always describe the same result.
 */
export interface CommandOutcome<R = unknown> {
  exitCode: number;
  result: R;
}

/** A command module: its spec, and `run`, which returns the exit code (or an outcome, with `render`). */
export interface CommandModule {
  readonly spec: CommandSpec;
  // The options are typed by each module's own spec; the table only passes them through.
  // biome-ignore lint/suspicious/noExplicitAny: the registry holds modules of every option type
  readonly run: (options: any, ctx: Context) => Promise<number | CommandOutcome>;
  /** The text form of the result `run` returned (commands that return an outcome). */
  // biome-ignore lint/suspicious/noExplicitAny: each module renders its own result type
  readonly render?: (result: any, ctx: Context, options: any) => void;
}

/** An outcome: `result`, printed by the CLI (JSON, or the module's render), and the exit code. */
export function outcome<R>(result: R, exitCode = 0): CommandOutcome<R> {
  return { exitCode, result };
}

/** `dryRun` → `dry-run`. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `provider-id` → `providerId`. */
export function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

// Options several commands share, spread into their specs so each is worded once.

export const PROFILE = {
  kind: 'value',
  short: 'p',
  value: 'name',
  description: 'layer $CODEX_HOME/<name>.config.toml, as codex --profile does',
} as const;

export const OVERRIDES = {
  kind: 'list',
  short: 'c',
  value: 'key=value',
  description: 'override a value, as codex -c does (repeatable)',
} as const;

export const DRY_RUN = { kind: 'flag', description: 'print the diff and write nothing' } as const;

export const JSON_OUTPUT = { kind: 'flag', description: 'print JSON' } as const;

/** Where a key is stored by the commands that write one into a shell rc file. */
export const KEY_STORE = {
  shell: {
    kind: 'value',
    value: 'shell',
    choices: SHELLS,
    description: 'shell whose rc file gets the key',
  },
  rcFile: { kind: 'value', value: 'path', description: 'write to this rc file instead of the shell default' },
  secretsFile: {
    kind: 'flag',
    description: 'keep values in $CODEX_HOME/codexgw.env (mode 0600); the rc block only sources it',
  },
} as const;
