import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ShellWarning {
  code: 'readable-by-others' | 'tracked-by-git' | 'exported-elsewhere' | 'differs-from-environment';
  message: string;
  hint?: string | undefined;
  file?: string | undefined;
  line?: number | undefined;
}

/** The permission bits of a file, or undefined when it does not exist (or on Windows, where they mean little). */
export function fileMode(file: string, platform: NodeJS.Platform = process.platform): number | undefined {
  if (platform === 'win32') return undefined;
  try {
    return statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
}

/**
 * Is `file` tracked by git (a dotfiles repository)? Asks git about the real file behind any
 * symlink (stow and friends link ~/.bashrc into the repository). No git, no repository, a
 * timeout or any other failure all mean "not tracked": this only decides whether to warn.
 */
export async function isTrackedByGit(
  file: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 3000,
): Promise<boolean> {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return false;
  }
  const { execa } = await import('execa');
  // A GIT_DIR or GIT_WORK_TREE from the caller's shell would point git somewhere else.
  const { GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, ...rest } = env;
  const result = await execa(
    'git',
    // The repository is not ours: its config must not run anything. core.fsmonitor is a command
    // git runs on ls-files (the only one ls-files runs); turning it off keeps the check read-only.
    [
      '-c',
      'core.fsmonitor=false',
      '-C',
      path.dirname(real),
      'ls-files',
      '--error-unmatch',
      '--',
      path.basename(real),
    ],
    {
      env: { ...rest, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
      extendEnv: false,
      reject: false,
      timeout: timeoutMs,
      stdin: 'ignore',
    },
  );
  return result.exitCode === 0;
}

/**
 * Warnings for a file that holds secret values: readable by group or others, or tracked by git.
 * A file that does not exist yet gets no warning: codexgw creates it with mode 0600.
 */
export async function secretFileWarnings(
  file: string,
  env: NodeJS.ProcessEnv,
  opts: { suggestSecretsFile: boolean; platform?: NodeJS.Platform },
): Promise<ShellWarning[]> {
  const out: ShellWarning[] = [];
  const fix = opts.suggestSecretsFile
    ? 'Run the command again with --secrets-file: the values then live in $CODEX_HOME (mode 0600) and the rc file only sources them.'
    : `Run: chmod 600 '${file}'`;
  const mode = fileMode(file, opts.platform);
  if (mode !== undefined && (mode & 0o044) !== 0) {
    out.push({
      code: 'readable-by-others',
      message: `${file} is readable by ${(mode & 0o004) !== 0 ? 'every user on this machine' : 'its group'} (mode ${mode.toString(8).padStart(4, '0')}), and it holds an API key.`,
      hint: fix,
      file,
    });
  }
  if (await isTrackedByGit(file, env)) {
    out.push({
      code: 'tracked-by-git',
      message: `${file} is tracked by git (a dotfiles repository?): a commit would publish the API key.`,
      hint: opts.suggestSecretsFile
        ? 'Use --secrets-file to keep the values out of the rc file, and check that the repository does not already hold the key.'
        : `Untrack it (git rm --cached) or move CODEX_HOME out of the repository.`,
      file,
    });
  }
  return out;
}
