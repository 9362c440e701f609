import path from 'node:path';
import { UsageError } from '../errors.ts';
import { nodeOs } from '../io/node-os.ts';
import { appendLines, detectEol, joinLines, splitLines } from './lines.ts';
import { SHELLS, type Shell } from './quote.ts';

/** The user's home: $HOME (%USERPROFILE% on Windows), else the OS's idea of it. */
export function homeDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (env.HOME) return env.HOME;
  if (platform === 'win32' && env.USERPROFILE) return env.USERPROFILE;
  return nodeOs().homedir();
}

/** $XDG_CONFIG_HOME when set to an absolute path (the spec says to ignore a relative one), else ~/.config. */
export function xdgConfigHome(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && path.isAbsolute(xdg)) return xdg;
  return path.join(homeDir(env, platform), '.config');
}

/**
 * The shell to write for: `--shell` when given, else the login shell named by $SHELL; on
 * Windows with no $SHELL (i.e. not Git Bash or WSL), PowerShell.
 */
export function detectShell(
  env: NodeJS.ProcessEnv,
  override?: string,
  platform: NodeJS.Platform = process.platform,
): Shell {
  if (override !== undefined) {
    if ((SHELLS as readonly string[]).includes(override)) return override as Shell;
    throw new UsageError(`Unknown shell "${override}".`, { hint: `Pass --shell ${SHELLS.join('|')}.` });
  }
  const login = env.SHELL;
  if (!login) {
    if (platform === 'win32') return 'pwsh';
    throw new UsageError('Cannot tell which shell you use: $SHELL is not set.', {
      hint: `Pass --shell ${SHELLS.join('|')} (and --rc-file <path> for a file other than the default).`,
    });
  }
  // Login shells may be named "-zsh"; Windows paths end in ".exe".
  const base = path
    .basename(login.replace(/\\/g, '/'))
    .replace(/^-/, '')
    .replace(/\.exe$/i, '');
  if (base === 'bash' || base === 'zsh' || base === 'fish') return base;
  if (/^(pwsh|powershell)(-preview)?$/i.test(base)) return 'pwsh';
  throw new UsageError(`codexgw env supports bash, zsh, fish and PowerShell; $SHELL is "${login}".`, {
    hint: `Pass --shell ${SHELLS.join('|')} for the shell whose syntax your rc file uses, and --rc-file <path>.`,
  });
}

/**
 * The file each shell reads at start-up, where the managed block goes:
 * - zsh: ${ZDOTDIR:-$HOME}/.zshrc (every interactive zsh, login or not);
 * - bash: ~/.bashrc (see `bashLoginHook` for macOS, whose terminals start login shells);
 * - fish: a file of our own in conf.d, which fish sources before config.fish;
 * - pwsh: $PROFILE (CurrentUserCurrentHost). On Windows that is Documents\PowerShell; a
 *   Documents folder redirected (OneDrive) needs --rc-file "$PROFILE".
 */
export function defaultRcFile(
  shell: Shell,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string {
  const home = homeDir(env, platform);
  switch (shell) {
    case 'zsh':
      return path.join(env.ZDOTDIR || home, '.zshrc');
    case 'bash':
      return path.join(home, '.bashrc');
    case 'fish':
      return path.join(xdgConfigHome(env, platform), 'fish', 'conf.d', 'codexgw.fish');
    case 'pwsh':
      return platform === 'win32'
        ? path.win32.join(home, 'Documents', 'PowerShell', 'Microsoft.PowerShell_profile.ps1')
        : path.join(xdgConfigHome(env, platform), 'powershell', 'Microsoft.PowerShell_profile.ps1');
  }
}

/** `--rc-file`, relative to cwd; a leading `~/` means home (for a path passed in quotes). */
export function resolveRcFlag(file: string, cwd: string, env: NodeJS.ProcessEnv): string {
  if (file === '~' || file.startsWith('~/')) return path.join(homeDir(env), file.slice(1));
  return path.resolve(cwd, file);
}

/**
 * The file in CODEX_HOME that holds the values with --secrets-file, in the shell's own syntax.
 * bash and zsh share one; fish and PowerShell need their own (PowerShell only dot-sources
 * files ending in .ps1).
 */
export function secretsFileName(shell: Shell): string {
  return shell === 'fish' ? 'codexgw.env.fish' : shell === 'pwsh' ? 'codexgw.env.ps1' : 'codexgw.env';
}

export const HOOK_START = '# >>> codexgw bashrc >>>';
export const HOOK_END = '# <<< codexgw bashrc <<<';
const HOOK_LINES = [
  HOOK_START,
  '# added by codexgw: login shells (every macOS terminal) read this file, not ~/.bashrc',
  'if [ -n "$BASH_VERSION" ] && [ -r "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi',
  HOOK_END,
];

/** The login file's text with the hook added; undefined when it already reads ~/.bashrc. */
export function withLoginHook(text: string | undefined): string | undefined {
  const lines = splitLines(text ?? '');
  const readsBashrc = lines.some((l) => {
    const t = l.text.trim();
    return !t.startsWith('#') && /\.bashrc\b/.test(t);
  });
  if (readsBashrc) return undefined;
  return joinLines(appendLines(lines, HOOK_LINES, detectEol(lines)));
}

export interface BashLoginHook {
  /** The login file bash reads: the first of ~/.bash_profile, ~/.bash_login, ~/.profile that exists. */
  file: string;
  /** Its current text; undefined when it does not exist. */
  before: string | undefined;
  /** Its new text, or undefined when it already reads ~/.bashrc. */
  after: string | undefined;
  /** A sentence for the user about what was (or need not be) done. */
  note: string;
}

/**
 * macOS terminals start bash as a login shell, which reads only the first of ~/.bash_profile,
 * ~/.bash_login and ~/.profile, not ~/.bashrc. When that file does not mention .bashrc on a
 * line that is not a comment, a small block of its own (separate markers) is added to it that
 * sources ~/.bashrc, guarded by $BASH_VERSION because sh also reads ~/.profile. With none of
 * the three files, ~/.bash_profile is created (creating it when ~/.profile exists would stop
 * bash from reading ~/.profile).
 */
export function bashLoginHook(home: string, read: (file: string) => string | undefined): BashLoginHook {
  const names = ['.bash_profile', '.bash_login', '.profile'];
  let file = path.join(home, names[0]!);
  let text: string | undefined;
  for (const name of names) {
    const candidate = path.join(home, name);
    text = read(candidate);
    if (text !== undefined) {
      file = candidate;
      break;
    }
  }
  const shown = `~/${path.basename(file)}`;
  const after = withLoginHook(text);
  if (after === undefined) {
    return {
      file,
      before: text,
      after: undefined,
      note: `${shown} already reads ~/.bashrc, so login shells get the key too.`,
    };
  }
  return {
    file,
    before: text,
    after,
    note: `macOS terminals start bash as a login shell, which reads ${shown} and not ~/.bashrc: added a block to ${shown} that sources ~/.bashrc.`,
  };
}
