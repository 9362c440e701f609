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

/** The read-only commands (commands/read-registry.ts), which the smaller `read` bundle holds. */
export const READ_ONLY_COMMANDS: readonly string[] = ['config', 'validate'];

/** The top-level command argv runs (the first word after the global options), if it names one. */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return undefined;
    if (arg === '-C' || arg === '--cwd') i++;
    else if (!arg.startsWith('-')) {
      return (TOP_LEVEL_COMMANDS as readonly string[]).includes(arg) ? arg : undefined;
    }
  }
  return undefined;
}

/**
 * The bundle of dist/ that runs argv: `read` for the read-only commands and for anything that
 * runs no command (help, errors: both bundles define the whole table), `main` for the rest.
 */
export function bundleFor(argv: readonly string[]): 'read' | 'main' {
  const word = commandWord(argv);
  return word === undefined || READ_ONLY_COMMANDS.includes(word) ? 'read' : 'main';
}
