import path from 'node:path';
import { type CodexHome, resolveCodexHome } from '../config/paths.ts';
import type { Context } from '../context.ts';
import { UserError } from '../errors.ts';
import { FileBackend } from './file-store.ts';
import {
  type AuthCommand,
  accountFor,
  type KeyBackend,
  type Lookup,
  type StoreKind,
  type Unavailable,
} from './keychain.ts';
import { MacKeychainBackend } from './macos.ts';
import { SecretServiceBackend } from './secret-service.ts';
import { WindowsCredentialBackend } from './windows.ts';

/** `--store`: the OS keychain, or the 0600 file in $CODEX_HOME. */
export type StoreChoice = 'keychain' | 'file';
export const STORE_CHOICES = ['keychain', 'file'] as const;

/** The OS credential store of this platform. */
export function osBackend(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): KeyBackend {
  if (platform === 'darwin') return new MacKeychainBackend(env);
  if (platform === 'win32') return new WindowsCredentialBackend(env);
  return new SecretServiceBackend(env);
}

/** A provider's key in one store: the backend and the item's account. */
export interface KeyLocation {
  backend: KeyBackend;
  account: string;
  providerId: string;
}

export function codexHomeOf(ctx: Pick<Context, 'env' | 'cwd'>): CodexHome {
  return resolveCodexHome(ctx.env, ctx.cwd);
}

/** Where provider `id`'s key lives in `backend` (the file store is per CODEX_HOME already). */
export function locate(
  backend: KeyBackend,
  providerId: string,
  ctx: Pick<Context, 'env' | 'cwd'>,
): KeyLocation {
  const home = codexHomeOf(ctx);
  const defaultDir = path.join(resolveCodexHome({ HOME: ctx.env.HOME }, ctx.cwd).dir);
  const account = backend.kind === 'file' ? providerId : accountFor(providerId, home, defaultDir);
  return { backend, account, providerId };
}

export interface ChosenStore {
  location: KeyLocation;
  /** Set when the keychain was wanted by default but is not usable here: why. */
  fellBack: Unavailable | undefined;
}

/**
 * The store a new key goes to: `--store file`, `--store keychain` (refused with the reason when
 * it is not usable), or by default the keychain where usable, else the file.
 */
export async function chooseStore(
  choice: StoreChoice | undefined,
  providerId: string,
  ctx: Pick<Context, 'env' | 'cwd'>,
): Promise<ChosenStore> {
  const file = new FileBackend(codexHomeOf(ctx).dir);
  if (choice === 'file') return { location: locate(file, providerId, ctx), fellBack: undefined };
  const os = osBackend(ctx.env);
  const usable = await os.probe();
  if (usable.ok) return { location: locate(os, providerId, ctx), fellBack: undefined };
  if (choice === 'keychain') {
    throw new UserError(`${os.label} cannot be used here: ${usable.message}.`, {
      hint: `${usable.hint.replace(/\.$/, '')}. Or store the key in a 0600 file: --store file`,
    });
  }
  return { location: locate(file, providerId, ctx), fellBack: usable };
}

/** What an `auth` table's command reads, when it is one codexgw writes. */
export type AuthSource =
  | { kind: 'secret-service' | 'macos-keychain'; account: string }
  /** `codexgw key print <id>`: the file store, else the OS store (Windows). */
  | { kind: 'codexgw'; providerId: string }
  | { kind: 'other' };

export function classifyAuth(auth: AuthCommand): AuthSource {
  const base = path.basename(auth.command).replace(/\.exe$/i, '');
  const after = (flag: string) => {
    const i = auth.args.indexOf(flag);
    return i >= 0 ? auth.args[i + 1] : undefined;
  };
  if (base === 'secret-tool' && auth.args[0] === 'lookup' && after('service') === 'codexgw') {
    const account = after('account');
    if (account) return { kind: 'secret-service', account };
  }
  if (base === 'security' && auth.args[0] === 'find-generic-password' && after('-s') === 'codexgw') {
    const account = after('-a');
    if (account) return { kind: 'macos-keychain', account };
  }
  const k = auth.args.indexOf('key');
  if (k >= 0 && auth.args[k + 1] === 'print' && auth.args[k + 2])
    return { kind: 'codexgw', providerId: auth.args[k + 2]! };
  return { kind: 'other' };
}

/** The backend an auth source reads from (undefined for a command codexgw did not write). */
export function backendOf(source: AuthSource, ctx: Pick<Context, 'env' | 'cwd'>): KeyBackend | undefined {
  if (source.kind === 'secret-service') return new SecretServiceBackend(ctx.env);
  if (source.kind === 'macos-keychain') return new MacKeychainBackend(ctx.env);
  return undefined;
}

/**
 * Provider `id`'s stored key, as `codexgw key print` serves it: the file store first (no
 * session bus needed), then the OS store.
 */
export async function findStoredKey(
  providerId: string,
  ctx: Pick<Context, 'env' | 'cwd'>,
): Promise<{ location: KeyLocation; lookup: Lookup }> {
  const file = locate(new FileBackend(codexHomeOf(ctx).dir), providerId, ctx);
  const fromFile = await file.backend.get(file.account);
  if (fromFile.status === 'found') return { location: file, lookup: fromFile };
  const os = locate(osBackend(ctx.env), providerId, ctx);
  const fromOs = await os.backend.get(os.account);
  // No keychain here at all: the key can only have been in the file.
  const noStore =
    fromOs.status === 'error' && (fromOs.reason === 'no-session-bus' || fromOs.reason === 'not-installed');
  if (fromOs.status === 'missing' || noStore) return { location: file, lookup: { status: 'missing' } };
  return { location: os, lookup: fromOs };
}

export type { StoreKind };
