import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/tmp.ts';

// Runs in order: each test checks what the one before it left behind.
describe('temp dirs made by tests', () => {
  let fromTest = '';
  const fromModule = makeTempDir('codexgw-tmp-check-');

  it('exist while the test runs, read-only folders inside included', () => {
    fromTest = makeTempDir('codexgw-tmp-check-');
    const locked = path.join(fromTest, 'locked');
    mkdirSync(locked);
    writeFileSync(path.join(locked, 'f'), 'x');
    chmodSync(locked, 0o500); // removing f now needs the folder made writable again (unless root)
    expect(existsSync(fromTest)).toBe(true);
  });

  it('are removed when the test that made them finishes', () => {
    expect(fromTest).not.toBe('');
    expect(existsSync(fromTest)).toBe(false);
  });

  it('made outside a test, live until the file is done', () => {
    expect(existsSync(fromModule)).toBe(true);
  });
});
