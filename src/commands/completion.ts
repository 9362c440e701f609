import path from 'node:path';
import { type CommandModule, defineSpec, kebab, type OptionSpec, type OptionsOf } from '../command-spec.ts';
import { loadConfig } from '../config/layers.ts';
import { listProfileFiles, resolveCodexHome } from '../config/paths.ts';
import { knownProviderIds } from '../config/providers.ts';
import { type Context, println, tilde } from '../context.ts';
import { EXIT, UsageError } from '../errors.ts';
import { GATEWAY_IDS } from '../gateways/types.ts';
import { readTextFile } from '../io/text-file.ts';
import { applyEdits } from '../shell/apply.ts';
import {
  type CompletionCommand,
  type CompletionModel,
  type CompletionOption,
  completionFile,
  completionScript,
  DYNAMIC_KINDS,
  type DynamicKind,
  type ValueKind,
} from '../shell/completion.ts';
import { planInclude } from '../shell/plan.ts';
import { SHELLS, type Shell } from '../shell/quote.ts';
import { readEnvState, resolveEnvTarget } from '../shell/state.ts';

export const spec = defineSpec({
  summary: 'print (or --install) shell completion for codexgw: bash, zsh, fish or pwsh',
  args: [{ name: 'shell', description: SHELLS.join('|') }],
  options: {
    install: {
      kind: 'flag',
      description: 'write the script to $CODEX_HOME and load it from the managed rc block',
    },
    rcFile: {
      kind: 'value',
      value: 'path',
      description: 'with --install: this rc file instead of the shell default',
    },
    values: {
      kind: 'value',
      value: 'kind',
      choices: DYNAMIC_KINDS,
      description: 'print the values the scripts complete (one per line): used by the scripts on Tab',
    },
  },
  examples: [
    'codexgw completion bash > ~/.local/share/bash-completion/completions/codexgw',
    'codexgw completion zsh --install',
  ],
});

export async function run(o: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  if (o.values) return printValues(o.values, ctx);
  if (o.shell === undefined && !o.install) {
    throw new UsageError('Which shell? codexgw completion needs one of bash, zsh, fish, pwsh.', {
      hint: 'e.g. codexgw completion bash, or codexgw completion --install for the shell in $SHELL.',
    });
  }
  if (o.shell !== undefined && !(SHELLS as readonly string[]).includes(o.shell)) {
    throw new UsageError(`Unknown shell "${o.shell}".`, { hint: `Pass one of ${SHELLS.join(', ')}.` });
  }
  if (!o.install) {
    ctx.stdout.write(completionScript(o.shell as Shell, await completionModel()));
    return EXIT.ok;
  }
  const target = resolveEnvTarget({ shell: o.shell, rcFile: o.rcFile }, ctx);
  const state = readEnvState(target);
  const home = resolveCodexHome(ctx.env, ctx.cwd);
  const file = state.rc.scan.block?.includes.completion?.file ?? completionFile(home.dir, target.shell);
  const text = completionScript(target.shell, await completionModel());
  const plan = planInclude(state, 'completion', { file, before: readTextFile(file), text });
  if (plan.edits.length === 0) {
    println(
      ctx.stderr,
      `Completion for ${target.shell} is already installed (${tilde(file, ctx)}). Nothing to change.`,
    );
    return EXIT.ok;
  }
  await applyEdits(plan.edits, ctx);
  println(
    ctx.stderr,
    `${ctx.errColor.ok('✓')} Installed ${target.shell} completion: ${tilde(state.rc.file, ctx)} loads ${tilde(file, ctx)}.`,
  );
  println(ctx.stderr, ctx.errColor.dim('Open a new terminal for Tab to complete codexgw.'));
  return EXIT.ok;
}

/** The fast path the scripts call on Tab: never an error, at worst no values. */
function printValues(kind: DynamicKind, ctx: Context): number {
  let values: readonly string[] = [];
  try {
    if (kind === 'gateways') values = GATEWAY_IDS;
    else if (kind === 'profiles') {
      values = listProfileFiles(resolveCodexHome(ctx.env, ctx.cwd).dir).map((f) =>
        path.basename(f, '.config.toml'),
      );
    } else values = knownProviderIds(loadConfig({ cwd: ctx.cwd, env: ctx.env, onError: 'collect' }));
  } catch {
    values = [];
  }
  for (const v of values) println(ctx.stdout, v);
  return EXIT.ok;
}

/** Options of the program itself (src/cli.ts), offered with every command. */
const GLOBAL: CompletionOption[] = [
  {
    long: '--cwd',
    short: '-C',
    description: 'run as if codexgw was started in <dir>',
    takesValue: true,
    values: { files: true },
  },
  { long: '--no-color', description: 'disable colour', takesValue: false, values: undefined },
  { long: '--debug', description: 'print stack traces for errors', takesValue: false, values: undefined },
  { long: '--help', short: '-h', description: 'show help', takesValue: false, values: undefined },
  {
    long: '--version',
    short: '-V',
    description: 'print the codexgw version',
    takesValue: false,
    values: undefined,
  },
];

/** What an argument takes, by its name (the specs name them consistently). */
function argValues(name: string, words: readonly string[]): ValueKind {
  if (name === 'provider-id' || (words[0] === 'provider' && name === 'id')) return { dynamic: 'providers' };
  if (name === 'profile') return { dynamic: 'profiles' };
  if (name === 'gateway') return { dynamic: 'gateways' };
  if (name === 'shell') return { choices: SHELLS };
  if (name === 'dir' || name === 'files') return { files: true };
  return undefined;
}

function optionValues(key: string, o: OptionSpec): ValueKind {
  if (o.kind === 'flag') return undefined;
  if (o.kind === 'value' && o.choices) return { choices: o.choices };
  if (key === 'profile') return { dynamic: 'profiles' };
  if (/^(path|file|dir)$/.test(o.value)) return { files: true };
  return undefined;
}

function commandOf(words: string[], module: CommandModule): CompletionCommand {
  const options: CompletionOption[] = [];
  for (const [key, o] of Object.entries(module.spec.options)) {
    options.push({
      long: `--${kebab(key)}`,
      short: o.short ? `-${o.short}` : undefined,
      description: o.description,
      takesValue: o.kind !== 'flag',
      values: optionValues(key, o),
    });
    if (o.kind === 'flag' && o.negatable) {
      options.push({
        long: `--no-${kebab(key)}`,
        description: o.negatable,
        takesValue: false,
        values: undefined,
      });
    }
  }
  const args = module.spec.args ?? [];
  return {
    words,
    summary: module.spec.summary,
    options,
    args: args.map((a) => argValues(a.name, words)),
    variadic: args.at(-1)?.variadic === true,
  };
}

/** The completion model of every command, from the registry. */
export async function completionModel(): Promise<CompletionModel> {
  const { COMMANDS, GROUPS } = await import('./index.ts');
  const names = Object.keys(COMMANDS);
  const modules = await Promise.all(names.map((n) => COMMANDS[n]!()));
  const commands = names.map((n, i) => commandOf(n.split(' '), modules[i]!));
  const top: { word: string; summary: string }[] = [];
  for (const c of commands) {
    const word = c.words[0]!;
    if (top.some((t) => t.word === word)) continue;
    top.push({ word, summary: c.words.length === 2 ? (GROUPS[word] ?? '') : c.summary });
  }
  return { top, commands, global: GLOBAL };
}
