import { type Check, check, type DoctorInput } from './types.ts';

/**
 * Checks of a provider's `auth` command (the key served from a keychain or a file): the command
 * is absolute and runs, it prints a token within its timeout, and the item it reads exists and
 * can be read. Pure: gather.ts ran the command and asked the store.
 */

/** The state of the store item behind a command codexgw wrote. */
export type AuthItemState =
  | { state: 'present' }
  | { state: 'missing' }
  | { state: 'unreadable'; reason: string; message: string; hint: string }
  /** A command codexgw did not write: there is no item to look at. */
  | { state: 'unknown' };

export interface AuthFacts {
  providerId: string;
  command: string;
  args: string[];
  /** Codex's timeout for the command (timeout_ms, default 5000). */
  timeoutMs: number;
  absolute: boolean;
  /** The command file exists and is executable (checked only when absolute). */
  executable: boolean;
  /** How the command ran here. */
  run: {
    exitCode: number | undefined;
    timedOut: boolean;
    stderr: string;
    spawnError: string | undefined;
    ms: number;
  };
  /** Its stdout, trimmed as Codex trims it: the token. Empty when it printed nothing. */
  token: string;
  /** The token as output may show it (`sk-…abcd`). */
  maskedToken: string;
  item: AuthItemState;
  /** "the Secret Service (…)", "the key file …", for messages. */
  storeLabel: string | undefined;
  /** For the file store: the key file and its permission bits (undefined on Windows). */
  keyFile?: { file: string; mode: number | undefined } | undefined;
  /** The store is the Secret Service / macOS Keychain (for the prompt and bus hints). */
  storeKind: 'secret-service' | 'macos-keychain' | 'windows-credential' | 'file' | undefined;
}

export function authChecks(input: DoctorInput): Check[] {
  const a = input.auth;
  if (!a) return [];
  return [commandCheck(a), itemCheck(a), tokenCheck(a)];
}

const line = (a: AuthFacts) => [a.command, ...a.args].join(' ');

function commandCheck(a: AuthFacts): Check {
  if (!a.absolute)
    return check(
      'env.auth-command',
      'error',
      `The auth command of \`${a.providerId}\` is \`${a.command}\`, not an absolute path: Codex started from a desktop app, an IDE or launchd has a minimal PATH and may not find it.`,
      {
        fix: `Write the absolute path (e.g. \`command -v ${a.command}\`), or let codexgw write it: codexgw key set ${a.providerId}`,
      },
    );
  if (!a.executable)
    return check(
      'env.auth-command',
      'error',
      `The auth command of \`${a.providerId}\` (${a.command}) does not exist or is not executable.`,
      {
        fix:
          a.storeKind === 'secret-service'
            ? 'Install libsecret-tools (apt install libsecret-tools), or move the key to a file: codexgw key set ' +
              `${a.providerId} --store file`
            : `Fix the path, or store the key again so codexgw writes the command: codexgw key set ${a.providerId}`,
      },
    );
  return check('env.auth-command', 'ok', `Provider \`${a.providerId}\` gets its key from \`${line(a)}\`.`);
}

function itemCheck(a: AuthFacts): Check {
  const where = a.storeLabel ?? 'the store';
  switch (a.item.state) {
    case 'unknown':
      return check(
        'env.auth-item',
        'skipped',
        'The auth command is not one codexgw wrote: no keychain item to look at.',
      );
    case 'present': {
      const mode = a.keyFile?.mode;
      if (a.keyFile && mode !== undefined && (mode & 0o077) !== 0)
        return check(
          'env.auth-item',
          'warning',
          `The key file ${a.keyFile.file} can be read by others (mode ${(mode & 0o777).toString(8).padStart(3, '0')}).`,
          { file: a.keyFile.file, fix: `chmod 600 ${a.keyFile.file}` },
        );
      return check('env.auth-item', 'ok', `The key of \`${a.providerId}\` is in ${where}.`);
    }
    case 'missing':
      return check(
        'env.auth-item',
        'error',
        `There is no key for \`${a.providerId}\` in ${where}: the auth command prints nothing and Codex sends no key.`,
        {
          fix: `Store it: codexgw key set ${a.providerId}`,
        },
      );
    case 'unreadable':
      return check(
        'env.auth-item',
        'error',
        `The key of \`${a.providerId}\` cannot be read from ${where}: ${a.item.message}.`,
        {
          fix: a.item.hint,
        },
      );
  }
}

function tokenCheck(a: AuthFacts): Check {
  const r = a.run;
  const id = 'env.auth-token';
  if (r.spawnError !== undefined)
    return check(id, 'error', `The auth command could not be run: ${r.spawnError}.`, {
      fix: `Check the path, or run codexgw key set ${a.providerId}`,
    });
  if (r.timedOut) {
    const fix =
      a.storeKind === 'macos-keychain'
        ? 'macOS is probably showing a Keychain access prompt: run `codexgw key show ' +
          `${a.providerId}\` in a terminal and click "Always Allow".`
        : a.storeKind === 'secret-service'
          ? 'The keyring is probably locked and waiting for its password: unlock it (log in to the desktop session), then try again.'
          : 'Make the command faster, or raise timeout_ms in the auth table.';
    return check(
      id,
      'error',
      `The auth command did not print a token within ${a.timeoutMs} ms (Codex gives up after timeout_ms).`,
      { fix },
    );
  }
  if (r.exitCode !== 0) {
    const why = r.stderr.trim().split('\n').pop() ?? '';
    const fix =
      a.item.state === 'unreadable' || a.item.state === 'missing'
        ? itemCheck(a).fix
        : /interaction is not allowed/i.test(why)
          ? 'macOS refused access without a prompt: run `codexgw key show ' +
            `${a.providerId}\` in a logged-in terminal and click "Always Allow".`
          : `Run it by hand to see why: ${line(a)}`;
    return check(
      id,
      'error',
      `The auth command exited with ${r.exitCode}${why ? ` (${why})` : ''}: Codex would fail before sending any request.`,
      { fix },
    );
  }
  if (a.token === '')
    return check(id, 'error', 'The auth command printed nothing: Codex would send an empty token.', {
      fix: `Store the key again: codexgw key set ${a.providerId}`,
    });
  return check(id, 'ok', `The auth command printed a token (${a.maskedToken}) in ${r.ms} ms.`);
}
