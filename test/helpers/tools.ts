/**
 * The real programs some tests run (shells, git, tmux, the keyring tools). A test file that needs
 * one calls `requireTool` at its top: a missing program fails the file with the package to
 * install, instead of a TypeError from a spawn that returned nothing. `npm run test:quick` runs
 * none of them, so there a call is a mistake in the quick/full split of vitest.config.ts.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** The program → its package: Debian/Ubuntu (what .ci/run installs), then Homebrew. */
const PACKAGES: Record<string, { apt: string; brew: string }> = {
  bash: { apt: 'bash', brew: 'bash' },
  zsh: { apt: 'zsh', brew: 'zsh' },
  fish: { apt: 'fish', brew: 'fish' },
  git: { apt: 'git', brew: 'git' },
  tmux: { apt: 'tmux', brew: 'tmux' },
  openssl: { apt: 'openssl', brew: 'openssl' },
  'secret-tool': { apt: 'libsecret-tools', brew: 'libsecret' },
  'gnome-keyring-daemon': { apt: 'gnome-keyring', brew: 'gnome-keyring' },
  'dbus-run-session': { apt: 'dbus', brew: 'dbus' },
  setpriv: { apt: 'util-linux', brew: 'util-linux' },
  mkfifo: { apt: 'coreutils', brew: 'coreutils' },
};

/** Does this run exclude real shells, pty and Codex (`npm run test:quick`)? */
export function isQuickRun(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CODEXGW_TEST_QUICK === '1';
}

/** The error for a test of the quick set that reaches for a real program. */
export function notInQuickRun(what: string): Error {
  return new Error(
    `${what} is not available to npm run test:quick, which runs no real shells, pty or Codex: ` +
      'move this test file to the full set (the FULL_ONLY list in vitest.config.ts).',
  );
}

/** Where `name` is on PATH, or undefined. */
export function findOnPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (dir === '') continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The absolute path of a program the test runs; throws, naming the package, when it is missing. */
export function requireTool(name: string, env: NodeJS.ProcessEnv = process.env): string {
  if (isQuickRun(env)) throw notInQuickRun(`${name} (a real program)`);
  const found = findOnPath(name, env.PATH);
  if (found) return found;
  const pkg = PACKAGES[name];
  const install = pkg
    ? `Install the package ${pkg.apt} (Debian/Ubuntu: sudo apt-get install ${pkg.apt}; macOS: brew install ${pkg.brew}); .ci/run installs it in CI.`
    : 'Install it, or run npm run test:quick, which needs no real programs.';
  throw new Error(
    `${name} is not installed (not found on PATH): these tests run the real ${name}. ${install}`,
  );
}
