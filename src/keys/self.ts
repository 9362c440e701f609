import { existsSync } from 'node:fs';
import path from 'node:path';
import { InternalError } from '../errors.ts';
import type { AuthCommand } from './keychain.ts';

/**
 * The absolute path of this copy's bin/codexgw.cjs: from the running bundle (dist/main.js) or
 * source file, up to the package root. Not process.argv[1], which is whatever started Node.
 */
export function codexgwBin(): string {
  let dir = path.dirname(__filename);
  for (let i = 0; i < 6; i++) {
    const bin = path.join(dir, 'bin', 'codexgw.cjs');
    if (existsSync(bin)) return bin;
    dir = path.dirname(dir);
  }
  throw new InternalError(`Could not find bin/codexgw.cjs above ${path.dirname(__filename)}.`);
}

/**
 * `<absolute node> <absolute codexgw> key print <id>`: what Codex runs for a key codexgw serves
 * itself. Absolute paths, because Codex started from a desktop app or an IDE has a minimal PATH.
 */
export function selfCommand(providerId: string): AuthCommand {
  return { command: process.execPath, args: [codexgwBin(), 'key', 'print', providerId] };
}
