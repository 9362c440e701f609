import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { updateBlock } from '../../src/shell/block.ts';
import type { Shell } from '../../src/shell/quote.ts';
import { syntaxOf } from '../../src/shell/quote.ts';
import { bashLoginHook, defaultRcFile } from '../../src/shell/rc-path.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { requireTool } from '../helpers/tools.ts';

/*
 * The real shells read the rc file codexgw writes and hand back each value byte for byte, and no
 * value runs as code. Each shell starts the way a terminal starts it (bash -i, zsh -i, fish -l)
 * with HOME, ZDOTDIR and XDG_CONFIG_HOME inside a temp dir and none of the real user's
 * variables; several variables are checked per spawn to keep the property tests quick.
 */

const SHELLS: Exclude<Shell, 'pwsh'>[] = ['bash', 'zsh', 'fish'];
for (const shell of SHELLS) requireTool(shell);
const CANARIES = ['CANARY_A', 'CANARY_B', 'CANARY_C', 'CANARY_D'];

const hostileUnit = fc.constantFrom(
  ...'\'"$`\\!*?;&|<>(){}[]~#%=:@^-+,. \t'.split(''),
  'a',
  'Z',
  '9',
  'é',
  '€',
  '中',
  '😀',
  '\u2018',
  '\u2019',
  '\u00a0',
  '\u2028',
  '\u001b',
  '$(touch CANARY_A)',
  '`touch CANARY_B`',
  '(touch CANARY_C)',
  "'; touch CANARY_D; '",
  '$HOME',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${HOME} that must not expand.
  '${HOME}',
  '%s%n',
  "''",
  '\\n',
);
const hostile = fc.string({ unit: hostileUnit, minLength: 1, maxLength: 30 });

interface World {
  home: string;
  env: NodeJS.ProcessEnv;
}

function world(): World {
  const home = makeTempDir('codexgw-shell-');
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    ZDOTDIR: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    TERM: 'dumb',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
  };
  return { home, env };
}

/** The rc file the shell reads at start-up (the same resolution `codexgw env` uses). */
function rcOf(shell: Shell, w: World): string {
  const file = defaultRcFile(shell, w.env, 'linux');
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

/** Start the shell as a terminal would and print each variable, NUL-terminated. */
function readVars(shell: Exclude<Shell, 'pwsh'>, w: World, names: string[], args?: string[]): string[] {
  // printf '%s\0' "$A" "$B" reads the same in all three shells.
  const script = `printf '%s\\0' ${names.map((n) => `"$${n}"`).join(' ')}`;
  const argv = args ?? (shell === 'fish' ? ['-l', '-c', script] : ['-i', '-c', script]);
  const r = spawnSync(shell, argv, { cwd: w.home, env: w.env, input: '', timeout: 20_000 });
  if (r.status !== 0) {
    throw new Error(`${shell} exited ${r.status}: ${r.stderr.toString()}`);
  }
  const out = r.stdout.toString('utf8').split('\0');
  expect(out.pop()).toBe('');
  return out;
}

function noCanary(w: World): void {
  const found = readdirSync(w.home, { recursive: true }).filter((f) =>
    CANARIES.some((c) => String(f).includes(c)),
  );
  expect(found).toEqual([]);
}

function writeVars(
  shell: Shell,
  w: World,
  vars: [string, string][],
  user = 'echo start >/dev/null\n',
): string {
  const file = rcOf(shell, w);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : user;
  writeFileSync(file, updateBlock(before, syntaxOf(shell), { set: vars }, file));
  return file;
}

const FIXED = [
  "it's",
  '$(touch CANARY_A)',
  '`touch CANARY_B`',
  '(touch CANARY_C)',
  "'; touch CANARY_D; '",
  'back\\slash\\',
  '\\',
  "'",
  "''",
  '"double"',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${HOME} that must not expand.
  '$HOME ${HOME} $((1+1)) !! !$',
  '*?[a-z]{1,2}~',
  '  spaces  and\ttab ',
  'ünïcødé 中文 😀 \u2018q\u2019',
  'line\u2028sep\u2029para\u0085nel\u00a0nbsp\u001besc',
  '-n',
  '%s %d %n',
  '#not a comment',
  'a;b&c|d<e>f',
];

describe.each(SHELLS)('%s reads back what codexgw writes', (shell) => {
  it('every fixed hostile value, verbatim, with nothing run', () => {
    const w = world();
    if (shell === 'zsh') writeFileSync(rcOf(shell, w), 'setopt rc_quotes\n');
    const vars = FIXED.map((v, i): [string, string] => [`V${i}`, v]);
    writeVars(shell, w, vars);
    expect(
      readVars(
        shell,
        w,
        vars.map(([n]) => n),
      ),
    ).toEqual(FIXED);
    noCanary(w);
  });

  it('random hostile values round-trip and run nothing (property, 25 runs of 4 variables)', () => {
    const w = world();
    const names = ['K0', 'K1', 'K2', 'K3'];
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 4, maxLength: 4 }), (values) => {
        // Each run rewrites the same block: updates in place, as users do.
        writeVars(
          shell,
          w,
          names.map((n, i) => [n, values[i]!]),
          shell === 'zsh' ? 'setopt rc_quotes\n' : '',
        );
        expect(readVars(shell, w, names)).toEqual(values);
        noCanary(w);
      }),
      { numRuns: 25 },
    );
  });

  it('a secrets file sourced from the block is read (path with a space and a quote)', () => {
    const w = world();
    const secrets = path.join(w.home, "codex home's", shell === 'fish' ? 'codexgw.env.fish' : 'codexgw.env');
    mkdirSync(path.dirname(secrets), { recursive: true });
    writeFileSync(
      secrets,
      updateBlock('', syntaxOf(shell), { set: [['SECRET_KEY', "s3cr'et $(touch CANARY_A)"]] }, secrets),
    );
    const rc = rcOf(shell, w);
    writeFileSync(rc, updateBlock('', syntaxOf(shell), { source: secrets }, rc));
    expect(readVars(shell, w, ['SECRET_KEY'])).toEqual(["s3cr'et $(touch CANARY_A)"]);
    noCanary(w);
  });
});

describe('bash specifics', () => {
  it('a login shell (macOS terminals) gets the key through the ~/.bash_profile hook', () => {
    const w = world();
    writeVars('bash', w, [['K', 'from-bashrc']]);
    // Without the hook a login shell does not read ~/.bashrc at all.
    writeFileSync(path.join(w.home, '.bash_profile'), 'export OTHER=1\n');
    expect(readVars('bash', w, ['K'], ['-l', '-c', `printf '%s\\0' "$K"`])).toEqual(['']);
    const hook = bashLoginHook(w.home, (f) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined));
    writeFileSync(hook.file, hook.after!);
    expect(readVars('bash', w, ['K', 'OTHER'], ['-l', '-c', `printf '%s\\0' "$K" "$OTHER"`])).toEqual([
      'from-bashrc',
      '1',
    ]);
  });

  it('the later of two exports in the file wins (what codexgw says about conflicts)', () => {
    const w = world();
    const rc = writeVars('bash', w, [['K', 'block']], 'export K=before\n');
    expect(readVars('bash', w, ['K'])).toEqual(['block']);
    writeFileSync(rc, `${readFileSync(rc, 'utf8')}export K=after\n`);
    expect(readVars('bash', w, ['K'])).toEqual(['after']);
  });
});
