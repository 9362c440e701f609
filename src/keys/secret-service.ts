import { existsSync } from 'node:fs';
import path from 'node:path';
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
import { findExecutable, type ProcessResult, runProcess } from './run.ts';

/**
 * The freedesktop Secret Service (GNOME Keyring, KWallet, KeePassXC) through `secret-tool`
 * (libsecret-tools). Chosen over a binding such as @napi-rs/keyring: codexgw ships as one bundle
 * with no runtime dependencies, and a prebuilt .node binary per platform can be neither bundled
 * nor loaded as fast; and Codex can run /usr/bin/secret-tool itself on every request, with no
 * Node start-up in between.
 */

export const SECRET_TOOL = '/usr/bin/secret-tool';

/** The attributes an item is found by. */
function attributes(account: string): string[] {
  return ['service', SERVICE, 'account', account];
}

export function secretToolLookup(tool: string, account: string): KeyProcess {
  return { file: tool, args: ['lookup', ...attributes(account)] };
}

/** `secret-tool store` reads the secret from stdin when stdin is not a terminal. */
export function secretToolStore(
  tool: string,
  account: string,
  providerId: string,
  secret: string,
): KeyProcess {
  return {
    file: tool,
    args: ['store', `--label=codexgw: ${providerId} key`, ...attributes(account)],
    input: secret,
  };
}

export function secretToolClear(tool: string, account: string): KeyProcess {
  return { file: tool, args: ['clear', ...attributes(account)] };
}

/** `secret-tool search` lists an item's attributes without unlocking it: it tells "locked" from "missing". */
export function secretToolSearch(tool: string, account: string): KeyProcess {
  return { file: tool, args: ['search', ...attributes(account)] };
}

/** Whether this environment can reach a session bus (the address, or the systemd user bus socket). */
export function hasSessionBus(env: NodeJS.ProcessEnv): boolean {
  if (env.DBUS_SESSION_BUS_ADDRESS) return true;
  return Boolean(env.XDG_RUNTIME_DIR) && existsSync(path.join(env.XDG_RUNTIME_DIR!, 'bus'));
}

const LOCKED: Unavailable = {
  ok: false,
  reason: 'locked',
  message: 'the keyring is locked',
  hint: 'Unlock it: log in to the desktop session, or run `secret-tool search --unlock service codexgw account <id>` and enter the keyring password.',
};

const NO_BUS: Unavailable = {
  ok: false,
  reason: 'no-session-bus',
  message:
    'There is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so the Secret Service cannot be reached',
  hint: 'Run codexgw (and Codex) inside a desktop session, or under `dbus-run-session` with an unlocked keyring; or keep the key in a file instead: codexgw key set <id> --store file',
};

/** Classify a failed secret-tool run from its stderr. */
export function secretToolFailure(r: ProcessResult, tool: string): Unavailable {
  const err = r.stderr.trim();
  if (r.spawnError !== undefined)
    return {
      ok: false,
      reason: 'not-installed',
      message: `${tool} could not be run (${r.spawnError})`,
      hint: 'Install libsecret-tools (apt install libsecret-tools, dnf install libsecret), or use --store file.',
    };
  if (r.timedOut)
    return {
      ok: false,
      reason: 'timeout',
      message: `${tool} did not answer within the time limit (the keyring may be waiting for an unlock prompt)`,
      hint: 'Unlock your keyring (log in to the desktop, or open Passwords and Keys), then run the command again.',
    };
  if (/locked/i.test(err)) return LOCKED;
  if (/D-Bus|DBUS|dbus|X11|org\.freedesktop\.secrets|ServiceUnknown/.test(err))
    return { ...NO_BUS, message: `The Secret Service cannot be reached: ${lastLine(err)}` };
  return {
    ok: false,
    reason: 'failed',
    message: `${tool} failed${err ? `: ${lastLine(err)}` : ` with exit code ${r.exitCode}`}`,
    hint: 'Check that a Secret Service (GNOME Keyring, KWallet) runs in this session, or use --store file.',
  };
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .filter((l) => l.trim() && !l.includes('CRITICAL'))
      .pop() ?? text
  );
}

export class SecretServiceBackend implements KeyBackend {
  readonly kind = 'secret-service' as const;
  readonly label = 'the Secret Service (GNOME Keyring / KWallet)';
  private readonly tool: string | undefined;

  constructor(private readonly env: NodeJS.ProcessEnv) {
    this.tool = findExecutable('secret-tool', [SECRET_TOOL], env);
  }

  private missingTool(): Unavailable {
    return {
      ok: false,
      reason: 'not-installed',
      message: 'secret-tool is not installed',
      hint: 'Install libsecret-tools (apt install libsecret-tools, dnf install libsecret), or use --store file.',
    };
  }

  async probe(): Promise<Availability> {
    if (!this.tool) return this.missingTool();
    if (!hasSessionBus(this.env)) return NO_BUS;
    const r = await runProcess(secretToolLookup(this.tool, '__codexgw_probe__'), this.env, 5_000);
    // Found or not found both mean the service answered; a locked keyring prompts on a desktop.
    if (r.exitCode === 0 || (r.exitCode === 1 && r.stderr.trim() === '')) return { ok: true };
    const failure = secretToolFailure(r, this.tool);
    return failure.reason === 'locked' ? { ok: true } : failure;
  }

  async get(account: string): Promise<Lookup> {
    if (!this.tool) return { status: 'error', ...this.missingTool() };
    if (!hasSessionBus(this.env)) return { status: 'error', ...NO_BUS };
    const r = await runProcess(secretToolLookup(this.tool, account), this.env);
    if (r.exitCode === 0 && r.stdout !== '')
      return { status: 'found', secret: r.stdout.replace(/\r?\n$/, '') };
    if (r.exitCode === 1 && r.stderr.trim() === '' && !r.timedOut) {
      // A locked keyring answers a lookup like a missing item; a search still lists the item.
      if (await this.itemListed(account)) return { status: 'error', ...LOCKED };
      return { status: 'missing' };
    }
    return { status: 'error', ...secretToolFailure(r, this.tool) };
  }

  async set(account: string, secret: string, providerId: string): Promise<void> {
    if (!this.tool) throw this.asError(this.missingTool());
    if (!hasSessionBus(this.env)) throw this.asError(NO_BUS);
    const r = await runProcess(secretToolStore(this.tool, account, providerId, secret), this.env);
    if (r.exitCode !== 0) throw this.asError(secretToolFailure(r, this.tool));
  }

  async remove(account: string): Promise<boolean> {
    if (!this.tool) throw this.asError(this.missingTool());
    const before = await this.get(account);
    if (before.status === 'missing') return false;
    const r = await runProcess(secretToolClear(this.tool, account), this.env);
    if (r.exitCode !== 0) throw this.asError(secretToolFailure(r, this.tool));
    return true;
  }

  authCommand(account: string): AuthCommand {
    const p = secretToolLookup(this.tool ?? SECRET_TOOL, account);
    return { command: p.file, args: p.args };
  }

  where(account: string): string {
    return `${this.label}, service ${SERVICE}, account ${account}`;
  }

  /** Whether an item exists although it cannot be read (a locked keyring lists it). */
  async itemListed(account: string): Promise<boolean> {
    if (!this.tool || !hasSessionBus(this.env)) return false;
    const r = await runProcess(secretToolSearch(this.tool, account), this.env);
    // It prints `[/org/freedesktop/secrets/collection/…]` and the label for each match.
    return r.exitCode === 0 && /^\[\//m.test(r.stdout);
  }

  private asError(u: Unavailable): UserError {
    return new UserError(`${u.message}.`, { hint: u.hint });
  }
}
