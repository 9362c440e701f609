import { UserError } from '../errors.ts';
import {
  type AuthCommand,
  type Availability,
  type KeyBackend,
  type KeyProcess,
  type Lookup,
  SERVICE,
  type Unavailable,
} from './keychain.ts';
import { type ProcessResult, runProcess } from './run.ts';

/** The macOS Keychain through /usr/bin/security, which every macOS has. */

export const SECURITY = '/usr/bin/security';

export function securityFind(account: string): KeyProcess {
  return { file: SECURITY, args: ['find-generic-password', '-s', SERVICE, '-a', account, '-w'] };
}

export function securityDelete(account: string): KeyProcess {
  return { file: SECURITY, args: ['delete-generic-password', '-s', SERVICE, '-a', account] };
}

/** A word of `security -i`'s command line, double-quoted (its parser understands "…" and \"). */
function word(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * `add-generic-password -w <secret>` would put the secret in argv, where `ps` shows it. So the
 * command goes to `security -i` on stdin, and the secret as hex (`-X`), which needs no quoting.
 * `-U` replaces an existing item. The item's access list names /usr/bin/security (its creator),
 * so Codex running the same binary reads it without a prompt.
 */
export function securityAdd(account: string, providerId: string, secret: string): KeyProcess {
  const hex = Buffer.from(secret, 'utf8').toString('hex');
  const line = [
    'add-generic-password',
    '-U',
    '-s',
    word(SERVICE),
    '-a',
    word(account),
    '-l',
    word(`codexgw: ${providerId} key`),
    '-X',
    hex,
  ].join(' ');
  return { file: SECURITY, args: ['-i'], input: `${line}\n` };
}

/** security's exit codes and messages (errSecItemNotFound = 44, errSecInteractionNotAllowed = 36). */
export function securityFailure(r: ProcessResult): Unavailable {
  const err = r.stderr.trim();
  if (r.spawnError !== undefined)
    return {
      ok: false,
      reason: 'not-installed',
      message: `${SECURITY} could not be run (${r.spawnError})`,
      hint: 'Use --store file.',
    };
  if (r.timedOut || /interaction is not allowed|user canceled|authorization/i.test(err) || r.exitCode === 36)
    return {
      ok: false,
      reason: 'access-prompt',
      message: 'macOS asked for access to the Keychain item and nobody allowed it',
      hint: 'Run the command in a logged-in terminal and click "Always Allow" in the Keychain access prompt (or unlock the login keychain: security unlock-keychain).',
    };
  if (/keychain.*locked|locked/i.test(err))
    return {
      ok: false,
      reason: 'locked',
      message: 'The login keychain is locked',
      hint: 'Unlock it: security unlock-keychain ~/Library/Keychains/login.keychain-db',
    };
  return {
    ok: false,
    reason: 'failed',
    message: `${SECURITY} failed${err ? `: ${err}` : ` with exit code ${r.exitCode}`}`,
    hint: 'Open Keychain Access and check the login keychain, or use --store file.',
  };
}

const isNotFound = (r: ProcessResult) => r.exitCode === 44 || /could not be found/i.test(r.stderr);

export class MacKeychainBackend implements KeyBackend {
  readonly kind = 'macos-keychain' as const;
  readonly label = 'the macOS Keychain';

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  async probe(): Promise<Availability> {
    const r = await runProcess({ file: SECURITY, args: ['list-keychains', '-d', 'user'] }, this.env, 5_000);
    return r.exitCode === 0 ? { ok: true } : securityFailure(r);
  }

  async get(account: string): Promise<Lookup> {
    const r = await runProcess(securityFind(account), this.env);
    if (r.exitCode === 0) return { status: 'found', secret: r.stdout.replace(/\r?\n$/, '') };
    if (isNotFound(r)) return { status: 'missing' };
    return { status: 'error', ...securityFailure(r) };
  }

  async set(account: string, secret: string, providerId: string): Promise<void> {
    const r = await runProcess(securityAdd(account, providerId, secret), this.env);
    // `security -i` exits 0 even when a command fails; the failure is on stderr.
    if (r.exitCode !== 0 || r.stderr.trim() !== '') {
      const u = securityFailure(r);
      throw new UserError(`${u.message}.`, { hint: u.hint });
    }
  }

  async remove(account: string): Promise<boolean> {
    const r = await runProcess(securityDelete(account), this.env);
    if (r.exitCode === 0) return true;
    if (isNotFound(r)) return false;
    const u = securityFailure(r);
    throw new UserError(`${u.message}.`, { hint: u.hint });
  }

  authCommand(account: string): AuthCommand {
    const p = securityFind(account);
    return { command: p.file, args: p.args };
  }

  where(account: string): string {
    return `${this.label}, service ${SERVICE}, account ${account}`;
  }
}
