// Which command a command line runs, read before anything is loaded: cli.ts uses it to define only
// that command in full, and the launcher to pick the bundle that holds it.

/** The top-level commands, in the order cli.ts defines them (checked against the program in a test). */
export const TOP_LEVEL_COMMANDS = [
  'config',
  'validate',
  'provider',
  'use',
  'model',
  'restore',
  'truefoundry',
  'env',
  'init',
  'doctor',
] as const;

/**
 * The bundles of dist/ (scripts/build.mjs) and the top-level commands each one holds, by its
 * registry: `read` (commands/read-registry.ts) for what CI runs, `switch` (switch-registry.ts) for
 * the quick edits, `main` (registry.ts) for the rest.
 */
export type Bundle = 'read' | 'switch' | 'main';
const BUNDLE_OF: Readonly<Record<string, Bundle>> = {
  config: 'read',
  validate: 'read',
  use: 'switch',
  model: 'switch',
};

/** The bundle that holds a top-level command; `read` when no command runs (help, errors). */
export function bundleOf(word: string | undefined): Bundle {
  return word === undefined ? 'read' : (BUNDLE_OF[word] ?? 'main');
}

/** The top-level word of a registry key ("use", "provider/add", "truefoundry-routing-rule"). */
export function topLevelOf(name: string): string | undefined {
  return TOP_LEVEL_COMMANDS.find((t) => name === t || name.startsWith(`${t}/`) || name.startsWith(`${t}-`));
}

/** The top-level command argv runs (the first word after the global options), if it names one. */
export function commandWord(argv: readonly string[]): string | undefined {
  return commandWordAt(argv)?.word;
}

/** The command word and its index in argv. */
function commandWordAt(argv: readonly string[]): { word: string; at: number } | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // `--` ends the options; help asked for before any command is the root's, listing every command.
    if (arg === '--' || arg === '-h' || arg === '--help') return undefined;
    if (arg === '-C' || arg === '--cwd') i++;
    else if (!arg.startsWith('-')) {
      return (TOP_LEVEL_COMMANDS as readonly string[]).includes(arg) ? { word: arg, at: i } : undefined;
    }
  }
  return undefined;
}

/** The bundle of dist/ that runs argv (every bundle defines the whole command table). */
export function bundleFor(argv: readonly string[]): Bundle {
  return bundleOf(commandWord(argv));
}

/** The top-level commands whose second word names a subcommand. */
export const COMMAND_GROUPS: readonly string[] = ['config', 'provider', 'model', 'truefoundry', 'env'];

/**
 * What argv runs, as a short name: "validate", "config.show", "use", or "help" when no command
 * runs (help, a usage error). Arguments (a provider id, a file) are left out.
 */
export function commandSignature(argv: readonly string[]): string {
  const found = commandWordAt(argv);
  if (found === undefined) return 'help';
  const { word, at } = found;
  if (!COMMAND_GROUPS.includes(word)) return word;
  const sub = argv.slice(at + 1).find((a) => !a.startsWith('-'));
  return sub !== undefined && /^[a-z][a-z-]*$/.test(sub) ? `${word}.${sub}` : word;
}
