import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as keyPrint } from '../../src/commands/key/print.ts';
import { FileBackend } from '../../src/keys/file-store.ts';
import { captureContext, makeTempDir } from '../helpers/tmp.ts';

const KEY = 'sk-print-test-0123456789';

function homeWithKey() {
  const home = makeTempDir('codexgw-keyprint-');
  const codexHome = path.join(home, '.codex');
  mkdirSync(codexHome);
  writeFileSync(path.join(codexHome, 'config.toml'), '');
  return { home, codexHome };
}

describe('key print', () => {
  it('refuses to print to a terminal unless --force', async () => {
    const { home, codexHome } = homeWithKey();
    await new FileBackend(codexHome).set('gw', KEY);
    const c = captureContext({ cwd: home, env: { HOME: home } });
    c.ctx.stdout.isTTY = true;
    await expect(keyPrint({ providerId: 'gw' }, c.ctx)).rejects.toThrow(/stdout is a terminal/);
    expect(c.out()).toBe('');
    expect(await keyPrint({ providerId: 'gw', force: true }, c.ctx)).toBe(0);
    expect(c.out()).toBe(KEY);
  });
});
