import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { makeWorld, type TempWorld } from '../helpers/setup-home.ts';

/**
 * Hostile or unlucky files, each through the built binary: the exit code, the message, a time
 * bound in seconds, and that nothing was written (every path under the world is as it was).
 */

const ADD = ['provider', 'add', 'custom', '--id', 'gw', '--base-url', 'https://gw.example.com/v1'];

/** Every path under `dir` with its type, mode and (for files) content: a write anywhere shows. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      const st = lstatSync(p);
      const kind = st.isSymbolicLink()
        ? 'link'
        : st.isFile()
          ? `file:${readFileSync(p, 'utf8')}`
          : st.isDirectory()
            ? 'dir'
            : `special:${st.rdev}`;
      out.set(p, `${kind}:${st.mode.toString(8)}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

async function timed(w: TempWorld, args: string[], input = '') {
  const t0 = Date.now();
  const r = await runCli(args, { cwd: w.work, env: w.env, input, timeout: 15_000 });
  return { ...r, seconds: (Date.now() - t0) / 1000 };
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

describe('a table named [__proto__] (valid TOML, Codex loads it)', () => {
  const CONFIG = [
    'model_provider = "constructor"',
    '[__proto__]',
    'polluted = "yes"',
    '[toString.__proto__]',
    'deep = 1',
    '[model_providers.constructor]',
    'name = "c"',
    'base_url = "https://c.example.com/v1"',
    'wire_api = "responses"',
    'http_headers = { "__proto__" = "a", "hasOwnProperty" = "b" }',
    '[model_providers.__proto__]',
    'name = "p"',
    'base_url = "https://p.example.com/v1"',
    'wire_api = "responses"',
    '',
  ].join('\n');

  it('is a plain key in every read command, in text and JSON', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), CONFIG);
    const json = await timed(w, ['config', 'show', '--json']);
    expect(json.exitCode).toBe(0);
    const config = JSON.parse(json.stdout).config;
    expect(Object.hasOwn(config, '__proto__')).toBe(true);
    const own = (o: object, k: string) => Object.getOwnPropertyDescriptor(o, k)?.value;
    expect(own(config, '__proto__')).toEqual({ polluted: 'yes' });
    expect(own(config.toString, '__proto__')).toEqual({ deep: 1 });
    expect(Object.keys(config.model_providers.constructor.http_headers)).toEqual([
      '__proto__',
      'hasOwnProperty',
    ]);
    expect(JSON.parse(json.stdout).origins['__proto__.polluted']).toMatchObject({ line: 3 });

    const list = await timed(w, ['provider', 'list']);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/\* constructor .*\n[\s\S]*__proto__ /);
    for (const args of [
      ['validate'],
      ['use'],
      ['provider', 'show', '__proto__'],
      ['config', 'get', '__proto__.polluted'],
    ]) {
      const r = await timed(w, args);
      expect([args, r.exitCode]).toEqual([args, 0]);
      expect(r.seconds).toBeLessThan(10);
    }
  });

  it('can be switched to, and a header named __proto__ is written like any other', async () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), CONFIG);
    expect((await timed(w, ['use', '__proto__'])).exitCode).toBe(0);
    const add = await timed(w, [...ADD, '--header', '__proto__=1', '--header', 'constructor=2']);
    expect(add.exitCode).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('model_provider = "__proto__"');
    expect(text).toMatch(/http_headers = \{ __proto__ = "1", constructor = "2" \}/);
  });
});

describe('depth and size limits', () => {
  for (const segments of [5_000, 50_000]) {
    it(`refuses a key of ${segments.toLocaleString('en')} dotted segments with exit 3 and its line, in seconds`, async () => {
      const w = makeWorld();
      w.write(path.join(w.codexHome, 'config.toml'), `model = "o3"\n${'a.'.repeat(segments - 1)}a = 1\n`);
      const before = snapshot(w.root);
      for (const args of [['config', 'show'], ADD, ['use', 'gw'], ['model', 'set', 'gpt-5']]) {
        const r = await timed(w, args);
        expect([args, r.exitCode]).toEqual([args, 3]);
        expect(r.stderr).toContain(
          `${path.join(w.codexHome, 'config.toml')}:2:1: a key has more than 80 dotted parts`,
        );
        expect(r.stderr).not.toMatch(/internal error|heap|RangeError/);
        expect(r.seconds).toBeLessThan(5);
      }
      const v = await timed(w, ['validate']);
      expect(v.exitCode).toBe(1);
      expect(v.stdout).toContain('2:1');
      expect(v.stdout).toContain('more than 80 dotted parts');
      expect(snapshot(w.root)).toEqual(before);
    });
  }

  it('accepts what Codex accepts: 80 segments, 80 nested arrays; refuses 81 like Codex', async () => {
    const w = makeWorld();
    const file = w.write(
      path.join(w.codexHome, 'config.toml'),
      `${'a.'.repeat(79)}a = ${'['.repeat(80)}${']'.repeat(80)}\n`,
    );
    expect((await timed(w, ['config', 'show'])).exitCode).toBe(0);
    w.write(file, `x = ${'['.repeat(81)}${']'.repeat(81)}\n`);
    const r = await timed(w, ['config', 'show']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(':1:85: arrays or inline tables are nested more than 80 deep');
  });

  it('validates a trusted project file with a 50,000-segment key in linear time', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), `[projects."${w.work}"]\ntrust_level = "trusted"\n`);
    w.write(path.join(w.work, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    w.write(path.join(w.work, '.codex', 'config.toml'), `${'a.'.repeat(49_999)}a = 1\n`);
    const r = await timed(w, ['validate']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('more than 80 dotted parts');
    expect(r.seconds).toBeLessThan(5);
  });

  it('refuses a config file over 8 MiB without reading it into a document', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), `# ${'x'.repeat(9 * 1024 * 1024)}\n`);
    const r = await timed(w, ADD);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain("over codexgw's limit of 8 MiB");
    expect(r.seconds).toBeLessThan(5);
  });
});

describe('regular files only', () => {
  const special: [string, string, (w: TempWorld, p: string) => void][] = [
    ['a FIFO', 'it is a FIFO (named pipe)', (_w, p) => execFileSync('mkfifo', [p])],
    [
      'a link to /dev/zero',
      'it links to /dev/zero, a character device',
      (_w, p) => symlinkSync('/dev/zero', p),
    ],
    [
      'a link to /dev/urandom',
      'it links to /dev/urandom, a character device',
      (_w, p) => symlinkSync('/dev/urandom', p),
    ],
  ];

  for (const [name, kind, make] of special) {
    it(`refuses ${name} as config.toml at once, and leaves it in place`, async () => {
      const w = makeWorld();
      const file = path.join(w.codexHome, 'config.toml');
      make(w, file);
      const before = snapshot(w.root);
      for (const args of [['config', 'show'], ADD, ['use', 'gw']]) {
        const r = await timed(w, args);
        expect([args, r.exitCode]).toEqual([args, 3]);
        expect(r.stderr).toContain(`Could not use ${file}: ${kind}, not a regular file.`);
        expect(r.seconds).toBeLessThan(5);
      }
      expect(snapshot(w.root)).toEqual(before);
    });
  }

  it('refuses a socket as config.toml', async () => {
    const w = makeWorld();
    const file = path.join(w.codexHome, 'config.toml');
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(file, resolve));
    const r = await timed(w, ADD);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('it is a socket, not a regular file.');
    expect(statSync(file).isSocket()).toBe(true);
  });

  it('refuses a FIFO or a device as the rc file, and writes neither it nor config.toml', async () => {
    for (const make of [
      (p: string) => execFileSync('mkfifo', [p]),
      (p: string) => symlinkSync('/dev/zero', p),
    ]) {
      const w = makeWorld();
      w.env.SHELL = '/bin/bash';
      const rc = path.join(w.home, '.bashrc');
      make(rc);
      const before = snapshot(w.root);
      const set = await timed(w, ['env', 'set', 'GW_KEY', '--value-stdin'], 'sk-0123456789abcdef\n');
      expect(set.exitCode).toBe(3);
      expect(set.stderr).toMatch(
        new RegExp(`Could not use ${rc}: it (is a FIFO|links to /dev/zero, a character device)`),
      );
      const add = await timed(w, [...ADD, '--env-key', 'GW_KEY', '--key-stdin'], 'sk-0123456789abcdef\n');
      expect(add.exitCode).toBe(3);
      expect(add.seconds).toBeLessThan(5);
      expect(snapshot(w.root)).toEqual(before);
    }
  });

  it('as root, never replaces a device (here a null device made in the temp dir) by a regular file', async () => {
    expect(process.getuid?.()).toBe(0); // the suite runs as root, like the other setpriv tests
    const w = makeWorld();
    const dev = path.join(w.root, 'nulldev');
    execFileSync('mknod', ['-m', '666', dev, 'c', '1', '3']);
    const config = path.join(w.codexHome, 'config.toml');
    symlinkSync(dev, config);
    const rc = path.join(w.home, '.bashrc');
    symlinkSync(dev, rc);
    w.env.SHELL = '/bin/bash';
    for (const args of [
      ADD,
      ['init', '--yes', '--gateway', 'custom', '--base-url', 'https://gw.example.com/v1', '--key-stdin'],
    ]) {
      const r = await timed(w, args, 'sk-0123456789abcdefwxyz\n');
      expect([args, r.exitCode]).toEqual([args, 3]);
      expect(r.stderr).toContain(`it links to ${dev}, a character device, not a regular file.`);
    }
    // Another device as the rc file alone (the first one is config.toml too, refused as such).
    const dev2 = path.join(w.root, 'nulldev2');
    execFileSync('mknod', ['-m', '666', dev2, 'c', '1', '3']);
    const set = await timed(
      w,
      ['env', 'set', 'K', '--value-stdin', '--rc-file', dev2],
      'sk-0123456789abcdefwxyz\n',
    );
    expect(set.exitCode).toBe(3);
    expect(set.stderr).toContain(`Could not use ${dev2}: it is a character device, not a regular file.`);
    expect(statSync(dev).isCharacterDevice()).toBe(true);
    expect(statSync(dev2).isCharacterDevice()).toBe(true);
    expect(
      readdirSync(w.root)
        .filter((n) => n.includes('nulldev'))
        .sort(),
    ).toEqual(['nulldev', 'nulldev2']);
    rmSync(dev);
    rmSync(dev2);
  });
});
