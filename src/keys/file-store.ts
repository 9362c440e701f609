import { chmodSync, statSync } from 'node:fs';
import path from 'node:path';
import { FileError, fileErrorFrom } from '../errors.ts';
import { atomicWriteFile } from '../io/atomic-write.ts';
import { withLocks } from '../io/lock.ts';
import { readTextFile } from '../io/text-file.ts';
import type { AuthCommand, Availability, KeyBackend, Lookup } from './keychain.ts';
import { selfCommand } from './self.ts';

/**
 * Keys in `$CODEX_HOME/codexgw-keys.json`, mode 0600: for machines with no usable keychain
 * (headless Linux without a session bus, containers). Codex reads a key through
 * `codexgw key print <id>`, which needs no session bus, so it works for a GUI-started Codex too.
 */

export const KEYS_FILE = 'codexgw-keys.json';

interface KeysFile {
  version: 1;
  keys: Record<string, string>;
}

export function keysFilePath(codexHome: string): string {
  return path.join(codexHome, KEYS_FILE);
}

function readKeys(file: string): KeysFile {
  const text = readTextFile(file);
  if (text === undefined) return { version: 1, keys: {} };
  try {
    const v = JSON.parse(text) as Partial<KeysFile>;
    if (v && typeof v.keys === 'object' && v.keys !== null) return { version: 1, keys: { ...v.keys } };
  } catch {
    // reported below
  }
  throw new FileError(`${file} is not a codexgw key file (it is not the JSON codexgw writes).`, {
    file,
    hint: `Move it aside and store the keys again with codexgw key set <id> --store file.`,
  });
}

function writeKeys(file: string, data: KeysFile): void {
  try {
    atomicWriteFile(file, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    // An existing file keeps its mode through the atomic write: make sure it is 0600 anyway.
    if (process.platform !== 'win32' && (statSync(file).mode & 0o777) !== 0o600) chmodSync(file, 0o600);
  } catch (err) {
    throw err instanceof FileError ? err : fileErrorFrom(err, file, 'write');
  }
}

export class FileBackend implements KeyBackend {
  readonly kind = 'file' as const;
  readonly label: string;
  readonly file: string;

  constructor(codexHome: string) {
    this.file = keysFilePath(codexHome);
    this.label = `the key file ${this.file} (mode 0600)`;
  }

  async probe(): Promise<Availability> {
    return { ok: true };
  }

  async get(account: string): Promise<Lookup> {
    const secret = readKeys(this.file).keys[account];
    return secret === undefined ? { status: 'missing' } : { status: 'found', secret };
  }

  // Read, change and write under codexgw's file lock, so two runs at once lose no key.
  async set(account: string, secret: string): Promise<void> {
    await withLocks([this.file], () => {
      const data = readKeys(this.file);
      data.keys[account] = secret;
      writeKeys(this.file, data);
    });
  }

  async remove(account: string): Promise<boolean> {
    return withLocks([this.file], () => {
      const data = readKeys(this.file);
      if (!(account in data.keys)) return false;
      delete data.keys[account];
      writeKeys(this.file, data);
      return true;
    });
  }

  authCommand(_account: string, providerId: string): AuthCommand {
    return selfCommand(providerId);
  }

  where(account: string): string {
    return `${this.file}, entry "${account}"`;
  }
}
