/**
 * The package as a user gets it: `npm pack` from a clean copy of the sources (prepack builds),
 * then `npm install -g` of the tarball into a fresh prefix with no network (--offline, an empty
 * npm cache: the tarball must need nothing else), on each supported Node line, and the installed
 * command run from there.
 */

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { newestRules } from '../../src/codex/rules.ts';
import { nodeLineBinary, OLD_NODE_LINE, SUPPORTED_NODE_LINES } from '../helpers/node-lines.ts';
import { REPO } from '../helpers/run-cli.ts';
import { makeWorld } from '../helpers/setup-home.ts';
import { makeTempDir } from '../helpers/tmp.ts';
import { requireTool } from '../helpers/tools.ts';

requireTool('bash');

/** What the build needs from a checkout (dist/ is made by prepack). */
const SOURCES = ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'bin', 'scripts', 'src'];

/** Every file the tarball may hold. */
const PACKED = [
  'LICENSE',
  'README.md',
  'bin/codexgw.cjs',
  'dist/THIRD-PARTY-NOTICES.md',
  'dist/cli.cjs',
  'dist/cli.cjs.map',
  'dist/lazy/execa.cjs',
  'dist/lazy/prompts.cjs',
  'dist/lazy/zod.cjs',
  'package.json',
];

interface PackResult {
  filename: string;
  unpackedSize: number;
  files: { path: string }[];
}

let root: string;
let tarball: string;
let packed: PackResult;
const version = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version as string;

/** PATH with a Node line's directory first, so `npm` and the bin's `#!/usr/bin/env node` use it. */
const pathWith = (line: number) =>
  `${path.dirname(nodeLineBinary(line))}${path.delimiter}${process.env.PATH}`;

beforeAll(async () => {
  root = makeTempDir('codexgw-package-');
  const checkout = path.join(root, 'checkout');
  for (const entry of SOURCES)
    cpSync(path.join(REPO, entry), path.join(checkout, entry), { recursive: true });
  symlinkSync(path.join(REPO, 'node_modules'), path.join(checkout, 'node_modules'));
  const r = await execa('npm', ['pack', '--json', '--pack-destination', root], {
    cwd: checkout,
    env: { ...process.env, PATH: pathWith(SUPPORTED_NODE_LINES[0]) },
  });
  packed = (JSON.parse(r.stdout) as [PackResult])[0];
  tarball = path.join(root, packed.filename);
}, 180_000);

describe('the tarball', () => {
  it('holds the built CLI, its notices and licence, and nothing else, under 2 MB unpacked', () => {
    expect(packed.files.map((f) => f.path).sort()).toEqual(PACKED);
    expect(packed.unpackedSize).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it('declares no dependencies and no install-time scripts', async () => {
    const r = await execa('tar', ['-xzOf', tarball, 'package/package.json']);
    const pkg = JSON.parse(r.stdout);
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.engines).toEqual({ node: '>=22' });
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect([script, pkg.scripts?.[script]]).toEqual([script, undefined]);
    }
    expect(pkg.license).toBe('MIT');
    expect(pkg.repository.url).toContain('github.com/codexgw/codexgw');
  });

  it("lists each bundled package's licence", async () => {
    const notices = (await execa('tar', ['-xzOf', tarball, 'package/dist/THIRD-PARTY-NOTICES.md'])).stdout;
    for (const [name, licence] of [
      ['commander', 'MIT'],
      ['smol-toml', 'BSD-3-Clause'],
      ['zod', 'MIT'],
      ['execa', 'MIT'],
      ['@inquirer/core', 'MIT'],
      ['chalk', 'MIT'],
    ]) {
      expect(notices).toMatch(
        new RegExp(`^## ${name} \\d+\\.\\d+\\.\\d+ \\(${licence}\\)\\n\\n\`\`\`text\\n\\S`, 'm'),
      );
    }
    // The editor prompt is left out of the build (scripts/build.mjs), so it is not listed.
    expect(notices).not.toContain('## @inquirer/editor');
  });
});

describe.each(SUPPORTED_NODE_LINES)('installed with npm install -g on Node %i', (line) => {
  let prefix: string;
  let installOutput: string;

  beforeAll(async () => {
    prefix = path.join(root, `prefix-${line}`);
    const cache = path.join(root, `npm-cache-${line}`);
    mkdirSync(cache);
    const r = await execa(
      'npm',
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        '--cache',
        cache,
        '--offline',
        '--no-audit',
        '--no-fund',
        tarball,
      ],
      { env: { ...process.env, PATH: pathWith(line) }, all: true },
    );
    installOutput = r.all;
  }, 120_000);

  /** Run the installed command, with this Node line first on PATH. */
  const codexgw = async (w: ReturnType<typeof makeWorld>, args: string[], input = '') => {
    const r = await execa(path.join(prefix, 'bin', 'codexgw'), args, {
      cwd: w.work,
      env: { ...w.env, PATH: pathWith(line), SHELL: '/bin/bash', NO_COLOR: '1' },
      extendEnv: false,
      input,
      reject: false,
    });
    return { code: r.exitCode, out: r.stdout, err: r.stderr };
  };

  it('installs without a warning, and only codexgw', () => {
    expect(installOutput).not.toMatch(/warn/i);
    expect(readdirSync(path.join(prefix, 'lib', 'node_modules'))).toEqual(['codexgw']);
    expect(existsSync(path.join(prefix, 'lib', 'node_modules', 'codexgw', 'node_modules'))).toBe(false);
  });

  it('runs --version, validate, init --yes, env set/print and doctor', async () => {
    const w = makeWorld();
    expect(await codexgw(w, ['--version'])).toEqual({ code: 0, out: version, err: '' });

    const init = await codexgw(w, [
      'init',
      '--yes',
      '--gateway',
      'litellm',
      '--base-url',
      'http://127.0.0.1:4000/v1',
      '--model',
      'gpt-5',
    ]);
    expect(init.code).toBe(0);
    const config = readFileSync(path.join(w.codexHome, 'config.toml'), 'utf8');
    expect(config).toContain('model_provider = "litellm"\n');
    expect(config).toContain('[model_providers.litellm]\n');

    expect(await codexgw(w, ['validate'])).toEqual({
      code: 0,
      // The installed tree has no codex on PATH: the newest rules codexgw ships apply, and it says so.
      out: `Rules: Codex ${newestRules().version}'s rules (no codex on PATH: the newest codexgw ships)\n✓ 0 errors, 0 warnings, 0 infos (1 file checked)`,
      err: '',
    });

    const key = 'sk-test-0123456789abcd';
    expect((await codexgw(w, ['env', 'set', 'LITELLM_API_KEY', '--value-stdin'], key)).code).toBe(0);
    expect(await codexgw(w, ['env', 'print'])).toEqual({
      code: 0,
      out: `export LITELLM_API_KEY='${key}'`,
      err: '',
    });

    // The key is in the rc file but not in this environment: an error.
    const doctor = await codexgw(w, ['doctor']);
    expect(doctor.code).toBe(1);
    expect(doctor.out).toContain('✓ Active provider: `litellm` (LiteLLM)');
    expect(doctor.out).toContain('✗ LITELLM_API_KEY is not set in this environment');
    expect(doctor.out).not.toContain(key);
  });

  it('points --debug stack traces into src/ through the source map', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), 'model = \n');
    const plain = await codexgw(w, ['config', 'show']);
    expect(plain.code).toBe(3);
    expect(plain.err).not.toMatch(/^\s+at /m);
    const debug = await codexgw(w, ['--debug', 'config', 'show']);
    expect(debug.code).toBe(3);
    expect(debug.err).toMatch(/^\s+at .*[\\/]src[\\/]config[\\/]\S+\.ts:\d+:\d+\)?$/m);
  });
});

describe(`on Node ${OLD_NODE_LINE}`, () => {
  it('the bin says which Node it needs, in one line (exit 1)', async () => {
    const w = makeWorld();
    const r = await execa(
      nodeLineBinary(OLD_NODE_LINE),
      [path.join(REPO, 'bin', 'codexgw.cjs'), 'validate'],
      {
        cwd: w.work,
        env: w.env,
        extendEnv: false,
        reject: false,
      },
    );
    const oldVersion = (await execa(nodeLineBinary(OLD_NODE_LINE), ['--version'])).stdout;
    expect({ code: r.exitCode, out: r.stdout, err: r.stderr }).toEqual({
      code: 1,
      out: '',
      err: `error: codexgw needs Node.js 22 or later; this is Node.js ${oldVersion}.`,
    });
  });
});
