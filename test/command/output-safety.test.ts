import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ErrorReport, errorFormatOf, reportError } from '../../src/cli.ts';
import { CancelledError, FileError } from '../../src/errors.ts';
import { type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { runMain } from '../helpers/run-main.ts';
import { makeWorld, type TempWorld } from '../helpers/setup-home.ts';
import { captureContext } from '../helpers/tmp.ts';

interface Envelope {
  error: ErrorReport;
}

function world(config?: string): TempWorld {
  const w = makeWorld();
  if (config !== undefined) w.write(path.join(w.codexHome, 'config.toml'), config);
  return w;
}

const envelope = (out: string) => JSON.parse(out) as Envelope;

let gateway: FakeGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe('--json failures: the error envelope on stdout, with the documented exit code', () => {
  it('a value that is not set (exit 1, code failure)', async () => {
    const r = await runMain(world('model = "gpt-5"\n'), ['config', 'get', 'no.such', '--json']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    expect(envelope(r.out)).toEqual({
      error: {
        code: 'failure',
        message: '`no.such` is not set in any config layer.',
        file: null,
        line: null,
        column: null,
        fix: 'Run `codexgw config show --origin` to see every value that is set and where.',
      },
    });
  });

  it('a config that does not parse (exit 3, code file, with file, line and column)', async () => {
    const w = world('model = "gpt-5"\nmodel_provider = \n');
    const r = await runMain(w, ['config', 'show', '--json']);
    expect(r.code).toBe(3);
    const { error } = envelope(r.out);
    expect(error).toMatchObject({
      code: 'file',
      file: path.join(w.codexHome, 'config.toml'),
      line: 2,
      column: expect.any(Number),
    });
    expect(error.message).toContain('invalid TOML');
    expect(error.fix).toContain('Fix the syntax');
  });

  it('an unknown provider (exit 1) and an unknown command or option (exit 2, code usage)', async () => {
    const w = world('model = "gpt-5"\n');
    const show = await runMain(w, ['provider', 'show', 'nope', '--json']);
    expect(show.code).toBe(1);
    expect(envelope(show.out).error.code).toBe('failure');
    expect(envelope(show.out).error.message).toContain('nope');

    const unknown = await runMain(w, ['frobnicate', '--json']);
    expect(unknown.code).toBe(2);
    expect(envelope(unknown.out).error).toMatchObject({
      code: 'usage',
      message: "unknown command 'frobnicate'",
    });

    const option = await runMain(w, ['validate', '--format=json', '--bogus']);
    expect(option.code).toBe(2);
    expect(envelope(option.out).error).toMatchObject({ code: 'usage', message: "unknown option '--bogus'" });
  });

  it('a gateway that refuses the key: the message is masked, the envelope still parses', async () => {
    gateway = await startFakeGateway({ mode: 'echo_unauthorized' });
    const key = 'sk-envelope-0123456789abcdef';
    const w = world(
      `model_provider = "gw"\n[model_providers.gw]\nname = "G"\nbase_url = "${gateway.baseUrl}"\nenv_key = "GW_KEY"\n`,
    );
    const r = await runMain(w, ['model', 'list', '--json', '--timeout', '3'], {
      env: { ...w.env, GW_KEY: key },
    });
    expect(r.code).toBe(1);
    const { error } = envelope(r.out);
    expect(error.code).toBe('failure');
    expect(error.message).toContain('rejected the credentials (HTTP 401');
    expect(error.message).toContain('Bearer sk-…cdef');
    expect(r.out).not.toContain('0123456789');
  });

  it('validate --format github reports a failure as an ::error annotation', async () => {
    const r = await runMain(world(), ['validate', '--format', 'github', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.out).toBe(
      "::error title=codexgw usage::unknown option '--bogus'%0AFix: Run the command with --help for usage.\n",
    );
  });

  it('without --json the failure stays one paragraph on stderr', async () => {
    const r = await runMain(world('model = "gpt-5"\n'), ['config', 'get', 'no.such']);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toBe(
      'error: `no.such` is not set in any config layer.\n  fix: Run `codexgw config show --origin` to see every value that is set and where.\n',
    );
  });

  it('errorFormatOf reads --json and --format from argv, up to --', () => {
    expect(errorFormatOf(['config', 'show', '--json'])).toBe('json');
    expect(errorFormatOf(['validate', '--format', 'github'])).toBe('github');
    expect(errorFormatOf(['validate', '--format=json'])).toBe('json');
    expect(errorFormatOf(['validate', '--format', 'text'])).toBe('text');
    expect(errorFormatOf(['env', 'set', '--', '--json'])).toBe('text');
  });
});

describe('keys and values from a file cannot forge terminal output or workflow commands', () => {
  const hostile =
    'model = "gpt-5"\n"evil\\n::error file=x::pwned\\u001b]0;title\\u0007" = 1\n[model_providers.p]\nname = "P\\u001b[2J"\nbase_url = "https://x.example/v1"\n';

  it('validate (text): each finding is one line; no line starts a workflow command; no raw ESC', async () => {
    const r = await runMain(world(hostile), ['validate']);
    expect(r.out).toContain('Unknown key `evil\\n::error file=x::pwned\\x1b]0;title\\x07`');
    for (const line of r.out.split('\n')) expect(line.trimStart().startsWith('::')).toBe(false);
    expect(r.out).not.toContain('\u001b');
  });

  it('validate --format github: one annotation per finding, newline escaped as %0A', async () => {
    const r = await runMain(world(hostile), ['validate', '--format', 'github']);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^::warning file=[^:]*,line=2,col=1,title=codexgw unknown-key::Unknown key `evil%0A::error/,
    );
    expect(r.out).not.toContain('\u001b');
  });

  it('config show, provider show and errors never print a raw control character', async () => {
    const w = world(hostile);
    for (const args of [
      ['config', 'show'],
      ['provider', 'show', 'p'],
      ['config', 'get', 'a\u001b[2J\nb'],
    ]) {
      const r = await runMain(w, args);
      expect(`${r.out}${r.err}`, args.join(' ')).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    }
    const get = await runMain(w, ['config', 'get', 'a\u001b[2J\nb']);
    expect(get.err).toContain('error: `"a\\u001B[2J\\nb"` is not set');
  });
});

describe('rc masking in bounded time', () => {
  it('env set --dry-run next to a hostile 120+ character fish line finishes in seconds', async () => {
    const w = world();
    const rc = w.write(path.join(w.home, 'config.fish'), `set ${'--a--a '.repeat(20)}!\n`);
    const started = Date.now();
    const r = await runMain(
      w,
      ['env', 'set', 'K', '--value-stdin', '--dry-run', '--shell', 'fish', '--rc-file', rc],
      { stdin: 'sk-dry-run-0123456789abcd' },
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.code).toBe(0);
    expect(r.out).toContain('+set -gx K sk…abcd');
  });
});

describe('diffs show a changed secret by its masks', () => {
  const config = (key: string) =>
    `model_provider = "gw"\n[model_providers.gw]\nname = "G"\nbase_url = "https://gw.example/v1"\nexperimental_bearer_token = "${key}"\n`;

  it('restore --dry-run of a rotated key: pk-…abcd → pk-…wxyz, never the keys', async () => {
    const oldKey = 'pk-OLD-0123456789-rotated-abcd';
    const newKey = 'pk-NEW-9876543210-current-wxyz';
    const w = world(config(oldKey));
    expect((await runMain(w, ['model', 'set', 'gpt-5'])).code).toBe(0); // backs up the old-key file
    w.write(path.join(w.codexHome, 'config.toml'), config(newKey));
    const r = await runMain(w, ['restore', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('-experimental_bearer_token = "pk-…wxyz"');
    expect(r.out).toContain('+experimental_bearer_token = "pk-…abcd"');
    expect(`${r.out}${r.err}`).not.toMatch(/0123456789|9876543210|rotated|current/);
  });

  it('says so when both keys have the same mask', async () => {
    const a = 'pk-AAAAAAAAAAAAAAAAAAAAAAAAA-abcd';
    const b = 'pk-BBBBBBBBBBBBBBBBBBBBBBBBB-abcd';
    const w = world(config(a));
    expect((await runMain(w, ['model', 'set', 'gpt-5'])).code).toBe(0);
    w.write(path.join(w.codexHome, 'config.toml'), config(b));
    const r = await runMain(w, ['restore', '--dry-run']);
    expect(r.out).toContain('(a secret changes; its masked form looks the same)');
    expect(r.out).not.toMatch(/AAAAAAAA|BBBBBBBB/);
  });
});

describe('reportError, the sink, in each format', () => {
  const sink = (err: unknown, format: 'text' | 'json' | 'github') => {
    const cap = captureContext();
    const code = reportError(err, cap.ctx, format);
    return { code, out: cap.out(), err: cap.err() };
  };

  it('an unexpected exception is code internal, exit 4, with the bug-report fix', () => {
    const r = sink(new TypeError('x is undefined'), 'json');
    expect(r.code).toBe(4);
    expect(envelope(r.out).error).toMatchObject({ code: 'internal', message: 'x is undefined' });
    expect(envelope(r.out).error.fix).toContain('bug in codexgw');
  });

  it('a cancelled prompt is code cancelled, exit 130', () => {
    const cancel = Object.assign(new Error('User force closed the prompt'), { name: 'ExitPromptError' });
    expect(envelope(sink(cancel, 'json').out).error.code).toBe('cancelled');
    expect(sink(cancel, 'json').code).toBe(130);
    expect(sink(new CancelledError(), 'github').out).toBe(
      '::error title=codexgw cancelled::Cancelled. Nothing was written.\n',
    );
  });

  it('text: a message, location and fix from a file stay on their lines', () => {
    const err = new FileError('bad key "a\nb"', {
      file: '/x/con\nfig.toml',
      line: 3,
      hint: 'remove\r"a\nb"',
    });
    const r = sink(err, 'text');
    expect(r.code).toBe(3);
    expect(r.err).toBe('error: bad key "a\\nb"\n  at /x/con\\nfig.toml:3\n  fix: remove\\r"a\\nb"\n');
  });

  it('github: file, line and column become properties, escaped', () => {
    const err = new FileError('broken, really: 100%', { file: '/x/a,b:c.toml', line: 2, column: 5 });
    expect(sink(err, 'github').out).toBe(
      '::error title=codexgw file,file=/x/a%2Cb%3Ac.toml,line=2,col=5::broken, really: 100%25\n',
    );
  });
});

describe('one rule for credential headers, writing and showing', () => {
  it('provider add refuses to write Helicone-Auth, Ocp-Apim-Subscription-Key or x-portkey-virtual-key', async () => {
    const w = world();
    for (const name of ['Helicone-Auth', 'Ocp-Apim-Subscription-Key', 'x-portkey-virtual-key']) {
      const r = await runMain(w, [
        'provider',
        'add',
        'custom',
        '--id',
        'c1',
        '--base-url',
        'https://gw.example/v1',
        '--header',
        `${name}=Bearer sk-flag-0123456789abcdef`,
        '--dry-run',
      ]);
      expect(r.code, name).toBe(2);
      expect(r.err).toContain(`Header "${name}" carries a credential`);
      expect(`${r.out}${r.err}`).not.toContain('0123456789');
    }
  });
});
