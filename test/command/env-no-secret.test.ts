import { chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliRun, codexgw, envWorld } from './env-helpers.ts';

/*
 * Run every `env` command (and their error paths) with a known key, and look for the key — and
 * distinctive pieces of it — in stdout, stderr and the JSON. Only `env print` may show it.
 */
const KEY = 'sk-proj-SECRETSECRETSECRET-0123456789-tail';
const PIECES = [KEY, 'SECRETSECRET', '0123456789', 'proj-SECRET'];

function expectNoSecret(r: CliRun, what: string): void {
  for (const piece of PIECES) {
    expect(r.out.includes(piece), `${what}: stdout shows "${piece}"`).toBe(false);
    expect(r.err.includes(piece), `${what}: stderr shows "${piece}"`).toBe(false);
  }
}

describe('no command but env print shows a value', () => {
  for (const shell of ['bash', 'zsh', 'fish', 'pwsh']) {
    it(`${shell}: set, list, list --json, unset, remove, dry runs and errors`, async () => {
      const w = envWorld(shell);
      const env = { ...w.env, PORTKEY_API_KEY: KEY, OTHER_KEY: `${KEY}-changed` };
      const rc = path.join(w.home, 'rc-file');
      // A user's own line holding the key sits next to the block: diffs show it as context.
      chmodSync(w.write(rc, `export OTHER_KEY='${KEY}'\n`), 0o644);
      const runs: [string, string[], string?][] = [
        ['set --dry-run', ['env', 'set', 'PORTKEY_API_KEY', '--value-stdin', '--dry-run'], KEY],
        ['set', ['env', 'set', 'PORTKEY_API_KEY', '--value-stdin'], KEY],
        ['set again', ['env', 'set', 'PORTKEY_API_KEY', '--value-stdin'], `${KEY}\n`],
        ['set another', ['env', 'set', 'OTHER_KEY', '--value-stdin'], KEY],
        [
          'set a changed value --dry-run',
          ['env', 'set', 'OTHER_KEY', '--value-stdin', '--dry-run'],
          `${KEY}-x`,
        ],
        ['set with a newline', ['env', 'set', 'BAD', '--value-stdin'], `${KEY}\n${KEY}\n`],
        ['set a bad name', ['env', 'set', KEY, '--value-stdin'], KEY],
        ['list', ['env', 'list']],
        ['list --json', ['env', 'list', '--json']],
        [
          'set --secrets-file --dry-run',
          ['env', 'set', 'THIRD', '--value-stdin', '--secrets-file', '--dry-run'],
          KEY,
        ],
        ['set --secrets-file', ['env', 'set', 'THIRD', '--value-stdin', '--secrets-file'], KEY],
        ['list --json (secrets file)', ['env', 'list', '--json']],
        ['unset --dry-run', ['env', 'unset', 'OTHER_KEY', '--dry-run']],
        ['unset', ['env', 'unset', 'OTHER_KEY']],
        ['unset unknown', ['env', 'unset', 'NOPE']],
        ['remove --dry-run', ['env', 'remove', '--dry-run']],
        ['remove', ['env', 'remove']],
      ];
      let printed = '';
      for (const [what, args, stdin] of runs) {
        if (what === 'remove --dry-run')
          printed = (await codexgw(w, ['env', 'print', '--rc-file', rc], { env })).out;
        const r = await codexgw(w, [...args, '--rc-file', rc], { stdin, env });
        expectNoSecret(r, what);
        if (args.includes('--json')) expect(() => JSON.parse(r.out)).not.toThrow();
      }
      // The one command that does print values does print them.
      expect(printed).toContain(KEY);
    });
  }
});
