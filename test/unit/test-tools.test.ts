import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/tmp.ts';
import { findOnPath, requireTool } from '../helpers/tools.ts';

describe('requireTool: the real programs a test file needs', () => {
  it('finds an executable on PATH', () => {
    const bin = makeTempDir();
    const file = path.join(bin, 'zsh');
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
    expect(requireTool('zsh', { PATH: `/nonexistent${path.delimiter}${bin}` })).toBe(file);
  });

  it('skips a file that is not executable', () => {
    const bin = makeTempDir();
    writeFileSync(path.join(bin, 'fish'), '');
    expect(findOnPath('fish', bin)).toBeUndefined();
  });

  it('fails for a missing shell, naming the package to install', () => {
    const empty = makeTempDir();
    expect(() => requireTool('zsh', { PATH: empty })).toThrow(
      'zsh is not installed (not found on PATH): these tests run the real zsh. Install the package zsh (Debian/Ubuntu: sudo apt-get install zsh; macOS: brew install zsh)',
    );
    expect(() => requireTool('secret-tool', { PATH: empty })).toThrow('sudo apt-get install libsecret-tools');
  });

  it('fails in npm run test:quick, whatever is installed', () => {
    expect(() => requireTool('sh', { PATH: '/bin:/usr/bin', CODEXGW_TEST_QUICK: '1' })).toThrow(
      'sh (a real program) is not available to npm run test:quick',
    );
  });
});
