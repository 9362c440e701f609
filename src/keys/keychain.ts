/**
 * Where codexgw keeps provider keys outside any config or rc file: the OS credential store (the
 * Secret Service on Linux, the macOS Keychain, the Windows Credential Manager) or, where none is
 * usable, a 0600 file in $CODEX_HOME. Every store is one small backend behind `KeyBackend`, and
 * each tells Codex how to read the key back: the command of the provider's `auth` table.
 */

/** The service name every item is filed under. */
export const SERVICE = 'codexgw';

export type StoreKind = 'secret-service' | 'macos-keychain' | 'windows-credential' | 'file';

/** `[model_providers.<id>.auth]`: Codex runs it and sends its stdout as the bearer token. */
export interface AuthCommand {
  command: string;
  args: string[];
}

/** One child process a backend runs: the secret, when there is one, goes on stdin, never in argv. */
export interface KeyProcess {
  file: string;
  args: string[];
  input?: string | undefined;
}

/** Why a store cannot be used or read right now, with the fix. */
export type Unavailable = {
  ok: false;
  reason: 'not-installed' | 'no-session-bus' | 'locked' | 'access-prompt' | 'timeout' | 'failed';
  message: string;
  hint: string;
};

export type Availability = { ok: true } | Unavailable;

export type Lookup =
  | { status: 'found'; secret: string }
  | { status: 'missing' }
  | ({ status: 'error' } & Unavailable);

export interface KeyBackend {
  readonly kind: StoreKind;
  /** For messages: "the Secret Service (GNOME Keyring / KWallet)". */
  readonly label: string;
  /** Whether the store can be used here, asked cheaply (a lookup of nothing, a file check). */
  probe(): Promise<Availability>;
  get(account: string): Promise<Lookup>;
  /** Store (or replace) the secret; throws a UserError with the fix when the store refuses. */
  set(account: string, secret: string, providerId: string): Promise<void>;
  /** True when there was an item to delete. */
  remove(account: string): Promise<boolean>;
  /** What Codex runs to read the key. */
  authCommand(account: string, providerId: string): AuthCommand;
  /** Where the item is, for messages: "service codexgw, account portkey". */
  where(account: string): string;
}

/**
 * The account of a provider's item: the provider id, plus the CODEX_HOME when it is not the
 * default ~/.codex, so two homes with a provider of the same id do not share one item.
 */
export function accountFor(
  providerId: string,
  home: { dir: string; fromEnv: boolean },
  defaultDir: string,
): string {
  return !home.fromEnv || home.dir === defaultDir ? providerId : `${providerId}@${home.dir}`;
}

/** A key must be one line of printable text: Codex trims the command's stdout and sends the rest. */
export function keyProblem(secret: string): string | undefined {
  if (secret.trim() === '') return 'it is empty';
  if (/[\r\n]/.test(secret)) return 'it has more than one line';
  if (/[\u0000-\u001f\u007f]/.test(secret)) return 'it has control characters';
  if (secret !== secret.trim()) return 'it starts or ends with spaces (Codex would trim them off)';
  return undefined;
}
