import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/commands/env/print.ts';
import { captureContext } from '../helpers/tmp.ts';
import { requireTool } from '../helpers/tools.ts';
import { codexgw, envWorld } from './env-helpers.ts';

requireTool('bash');

const A = 'sk-aaaa-0000000000000000-aaaa';
const B = 'sk-bbbb-1111111111111111-bbbb';

describe('codexgw env list', () => {
  it('lists the block masked, and whether this shell has the same value', async () => {
    const w = envWorld('bash');
    chmodSync(w.write(path.join(w.home, '.bashrc'), ''), 0o600);
    await codexgw(w, ['env', 'set', 'A_KEY', '--value-stdin'], { stdin: A });
    await codexgw(w, ['env', 'set', 'B', '--value-stdin'], { stdin: B });
    await codexgw(w, ['env', 'set', 'C', '--value-stdin'], { stdin: 'short' });
    const env = { ...w.env, A_KEY: A, B: 'something-else' };
    const rc = path.join(w.home, '.bashrc');
    const r = await codexgw(w, ['env', 'list'], { env });
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        `A_KEY  sk-…aaaa  ${rc}:3  loaded in this shell`,
        `B      sk-…bbbb  ${rc}:4  this shell has a different value`,
        `C      …  ${rc}:5  not loaded in this shell`,
        '',
      ].join('\n'),
    );
    expect(r.err).toBe('');
    const json = await codexgw(w, ['env', 'list', '--json'], { env });
    expect(JSON.parse(json.out)).toEqual({
      shell: 'bash',
      rcFile: rc,
      secretsFile: null,
      block: { startLine: 1, endLine: 6 },
      variables: [
        { name: 'A_KEY', masked: 'sk-…aaaa', file: rc, line: 3, environment: 'same' },
        { name: 'B', masked: 'sk-…bbbb', file: rc, line: 4, environment: 'different' },
        { name: 'C', masked: '…', file: rc, line: 5, environment: 'unset' },
      ],
      warnings: [],
    });
  });

  it('says so when there is no block (exit 0), and shows variables from the secrets file', async () => {
    const w = envWorld('zsh');
    const empty = await codexgw(w, ['env', 'list']);
    expect(empty).toMatchObject({ code: 0, out: '' });
    expect(empty.err).toContain(`No variables in the codexgw block of ${path.join(w.home, '.zshrc')} (zsh).`);
    await codexgw(w, ['env', 'set', 'A_KEY', '--value-stdin', '--secrets-file'], { stdin: A });
    const json = JSON.parse((await codexgw(w, ['env', 'list', '--json'])).out);
    expect(json.secretsFile).toBe(path.join(w.codexHome, 'codexgw.env'));
    expect(json.variables).toEqual([
      { name: 'A_KEY', masked: 'sk-…aaaa', file: json.secretsFile, line: 3, environment: 'unset' },
    ]);
  });

  it('reports a damaged block with its line numbers (exit 3)', async () => {
    const w = envWorld('bash');
    const rc = w.write(path.join(w.home, '.bashrc'), '# <<< codexgw <<<\n');
    const r = await codexgw(w, ['env', 'list', '--json']);
    expect(r.code).toBe(3);
    // Under --json the failure is the JSON error envelope on stdout, nothing on stderr.
    const { error } = JSON.parse(r.out) as { error: Record<string, unknown> };
    expect(error).toMatchObject({ code: 'file', file: rc, line: 1 });
    expect(error.message).toContain(`${rc}:1: line 1 ends a block that never starts`);
    expect(r.err).toBe('');
  });
});

describe('codexgw env print', () => {
  it('prints the export lines for eval, in the shell syntax', async () => {
    const w = envWorld('bash');
    const hostile = `it's $(touch CANARY) \`id\` "q" \\`;
    await codexgw(w, ['env', 'set', 'A_KEY', '--value-stdin'], { stdin: A });
    await codexgw(w, ['env', 'set', 'H', '--value-stdin'], { stdin: hostile });
    const r = await codexgw(w, ['env', 'print']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(`export A_KEY='${A}'\nexport H='it'\\''s $(touch CANARY) \`id\` "q" \\'\n`);
    // eval "$(codexgw env print)" in a real bash gives the values back. --norc: with a socket
    // for stdin (Node's pipes) Debian's bash would source ~/.bashrc, here the real user's.
    const out = execFileSync('bash', ['--norc', '-c', 'eval "$(cat)"; printf "%s|" "$A_KEY" "$H"'], {
      input: r.out,
      cwd: w.root,
      env: { PATH: process.env.PATH },
    }).toString();
    expect(out).toBe(`${A}|${hostile}|`);
  });

  it('warns on stderr when stdout is a terminal (the keys are about to be shown)', async () => {
    const w = envWorld('bash');
    await codexgw(w, ['env', 'set', 'A_KEY', '--value-stdin'], { stdin: A });
    const cap = captureContext({ cwd: w.work, env: w.env });
    cap.ctx.stdout.isTTY = true;
    expect(await run({}, cap.ctx)).toBe(0);
    expect(cap.out()).toBe(`export A_KEY='${A}'\n`);
    expect(cap.err()).toContain('warning: this prints your keys in clear text');
  });

  it('--shell picks the syntax and the rc file of that shell', async () => {
    const w = envWorld('bash');
    await codexgw(w, ['env', 'set', 'K', '--value-stdin', '--shell', 'fish'], { stdin: "it's" });
    const r = await codexgw(w, ['env', 'print', '--shell', 'fish']);
    expect(r.out).toBe("set -gx K 'it\\'s'\n");
    const none = await codexgw(w, ['env', 'print']);
    expect(none).toMatchObject({ code: 0, out: '' });
    expect(none.err).toContain('No variables in the codexgw block');
  });
});
