// THE registry. A command is one module under src/commands/ exporting `spec` and `run`
// (src/commands/spec.ts), plus one line here. A group (`provider add`, `provider list`, …) is a
// first word with a summary in GROUPS. Modules are imported only when their command is defined
// (src/cli.ts defines just the one a command line runs), so a command never runs another's code.
import type { CommandModule } from '../command-spec.ts';

/** The commands that have subcommands, with their summaries. */
export const GROUPS: Readonly<Record<string, string>> = {
  config: 'show the effective (merged) Codex configuration, or set and unset one key',
  provider: 'add, list, show, change and remove model providers',
  model: "set the model, or list the gateway's models",
  truefoundry: 'TrueFoundry helpers',
  env: "manage provider keys in your shell's rc file (a managed block)",
  profile: 'the profile files codex --profile <name> layers over config.toml',
  key: 'keep provider keys in the OS keychain (or a 0600 file), served to Codex by its auth command',
};

/** Every command by its words, in the order `--help` lists them. */
export const COMMANDS: Readonly<Record<string, () => Promise<CommandModule>>> = {
  'config show': () => import('./config/show.ts'),
  'config get': () => import('./config/get.ts'),
  'config set': () => import('./config/set.ts'),
  'config unset': () => import('./config/unset.ts'),
  validate: () => import('./validate.ts'),
  'provider add': () => import('./provider/add.ts'),
  'provider list': () => import('./provider/list.ts'),
  'provider show': () => import('./provider/show.ts'),
  'provider remove': () => import('./provider/remove.ts'),
  'provider set': () => import('./provider/set.ts'),
  use: () => import('./use.ts'),
  'model set': () => import('./model/set.ts'),
  'model list': () => import('./model/list.ts'),
  restore: () => import('./restore.ts'),
  'truefoundry routing-rule': () => import('./truefoundry-routing-rule.ts'),
  'env set': () => import('./env/set.ts'),
  'env unset': () => import('./env/unset.ts'),
  'env list': () => import('./env/list.ts'),
  'env remove': () => import('./env/remove.ts'),
  'env print': () => import('./env/print.ts'),
  'key set': () => import('./key/set.ts'),
  'key show': () => import('./key/show.ts'),
  'key list': () => import('./key/list.ts'),
  'key rm': () => import('./key/rm.ts'),
  'key print': () => import('./key/print.ts'),
  'key migrate': () => import('./key/migrate.ts'),
  init: () => import('./init.ts'),
  doctor: () => import('./doctor.ts'),
  trust: () => import('./trust.ts'),
  untrust: () => import('./untrust.ts'),
  'profile list': () => import('./profile/list.ts'),
  status: () => import('./status.ts'),
  pin: () => import('./pin.ts'),
  unpin: () => import('./unpin.ts'),
  run: () => import('./run.ts'),
  completion: () => import('./completion.ts'),
};

/** The first words of the commands, in order. */
export function topLevelCommands(): string[] {
  return [...new Set(Object.keys(COMMANDS).map((name) => name.split(' ')[0]!))];
}

/**
 * The commands a command line needs defined, read before anything is loaded: the one it runs
 * (`provider add …` → `provider add`), a whole group (`provider --help`, `provider nope`), or
 * every command (no command word, `--help` before it, `help`, a word that is no command).
 */
export function commandsFor(argv: readonly string[]): string[] {
  const all = Object.keys(COMMANDS);
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    // Help asked for before the command word is the root's: it lists every command.
    if (words.length === 0 && (arg === '-h' || arg === '--help')) return all;
    if (words.length === 0 && (arg === '-C' || arg === '--cwd')) i++;
    else if (!arg.startsWith('-')) words.push(arg);
  }
  const [top, sub] = words;
  if (top === undefined) return all;
  if (top in COMMANDS) return [top];
  if (!(top in GROUPS)) return all;
  const name = `${top} ${sub}`;
  return name in COMMANDS ? [name] : all.filter((n) => n.startsWith(`${top} `));
}
