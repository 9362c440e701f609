import { UsageError } from '../errors.ts';

/**
 * Variables a shell or the system reads to decide how it runs. A key stored under one of these
 * names would change every shell and program started after it: a "value" in PROMPT_COMMAND,
 * BASH_ENV, ENV or LD_PRELOAD is code or a library that runs, however correctly it is quoted;
 * PATH, HOME or IFS break the shell. codexgw never writes them into an rc file.
 */
const EXACT = new Set([
  // every shell and the system
  'PATH',
  'HOME',
  'SHELL',
  'USER',
  'LOGNAME',
  'PWD',
  'OLDPWD',
  'CDPATH',
  'IFS',
  'ENV',
  'TERM',
  'TMPDIR',
  'TZ',
  'LANG',
  'MAIL',
  'MAILPATH',
  'EDITOR',
  'VISUAL',
  'PAGER',
  'PS1',
  'PS2',
  'PS3',
  'PS4',
  'PROMPT_COMMAND',
  'HISTFILE',
  'HISTCONTROL',
  'HISTIGNORE',
  'GLOBIGNORE',
  'SHELLOPTS',
  'BASHOPTS',
  'BASH_ENV',
  'POSIXLY_CORRECT',
  // zsh
  'ZDOTDIR',
  'PROMPT',
  'PROMPT2',
  'RPROMPT',
  'RPS1',
  'FPATH',
  'MODULE_PATH',
  // PowerShell
  'PSMODULEPATH',
  // interpreters that run code or load modules named by a variable
  'NODE_OPTIONS',
  'PERL5OPT',
  'PERL5LIB',
  'PYTHONSTARTUP',
  'PYTHONPATH',
  'RUBYOPT',
  'GIT_SSH_COMMAND',
  'SSH_AUTH_SOCK',
  // Codex itself
  'CODEX_HOME',
]);

/** Prefixes: the dynamic loaders (LD_PRELOAD, LD_LIBRARY_PATH, DYLD_INSERT_LIBRARIES …), the shells' own. */
const PREFIXES = ['LD_', 'DYLD_', 'BASH_', 'LC_', 'FISH_', 'ZSH_'];

/** Why `name` must not hold a key, or undefined when it may. Case-insensitive: Windows and fish_* fold. */
export function reservedEnvName(name: string): string | undefined {
  const upper = name.toUpperCase();
  if (EXACT.has(upper)) return `${name} is read by the shell or the system itself`;
  const prefix = PREFIXES.find((p) => upper.startsWith(p));
  if (prefix)
    return `${prefix}* variables are read by the ${prefix === 'LD_' || prefix === 'DYLD_' ? 'dynamic loader' : 'shell or the system'}`;
  return undefined;
}

/** Refuse to store a key under a name that changes how a shell or the system runs (exit 2). */
export function assertStorableEnvName(name: string): void {
  const why = reservedEnvName(name);
  if (why === undefined) return;
  throw new UsageError(
    `codexgw will not store a key in ${name}: ${why}, so a key there would change how every shell and program runs.`,
    {
      hint: 'Use a name of its own for the key, e.g. PORTKEY_API_KEY (--env-key for a provider).',
    },
  );
}
