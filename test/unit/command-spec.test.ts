import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { defineCommand } from '../../src/cli.ts';
import { type CommandModule, camel, defineSpec, kebab } from '../../src/command-spec.ts';
import { captureContext } from '../helpers/tmp.ts';

const spec = defineSpec({
  summary: 'a test command',
  args: [
    { name: 'provider-id', required: true },
    { name: 'rest', variadic: true },
  ],
  options: {
    dryRun: { kind: 'flag', description: 'dry' },
    use: { kind: 'flag', description: 'use it', negatable: 'do not use it' },
    baseUrl: { kind: 'value', value: 'url', description: 'url' },
    format: { kind: 'value', value: 'f', description: 'f', choices: ['text', 'json'], default: 'text' },
    header: { kind: 'list', value: 'K=V', short: 'H', description: 'headers' },
    need: { kind: 'value', value: 'x', description: 'needed', required: true },
  },
  examples: ['codexgw t portkey --need 1'],
  help: 'Exit codes: 0 ok.',
});

/** Parse argv with a command built from the spec; what `run` received, or the usage error. */
async function parse(argv: string[]) {
  const cap = captureContext();
  let received: unknown;
  const module: CommandModule = {
    spec,
    run: async (options) => {
      received = options;
      return 7;
    },
  };
  const program = new Command('codexgw').exitOverride().configureOutput({
    writeOut: (s) => cap.ctx.stdout.write(s),
    writeErr: (s) => cap.ctx.stderr.write(s),
  });
  let code: number | undefined;
  defineCommand(program.command('t').exitOverride(), module, cap.ctx, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(['t', ...argv], { from: 'user' });
  } catch (err) {
    return { error: (err as { code?: string }).code, err: cap.err(), out: cap.out() };
  }
  return { received, code, out: cap.out() };
}

describe('a command spec, as commander options', () => {
  it('hands run every given option under its key, and each argument under its camelCased name', async () => {
    const r = await parse([
      'portkey',
      'a',
      'b',
      '--dry-run',
      '--base-url',
      'http://x',
      '-H',
      'a=1',
      '--header',
      'b=2',
      '--need',
      'n',
    ]);
    expect(r.received).toEqual({
      providerId: 'portkey',
      rest: ['a', 'b'],
      dryRun: true,
      baseUrl: 'http://x',
      format: 'text',
      header: ['a=1', 'b=2'],
      need: 'n',
    });
    expect(r.code).toBe(7);
  });

  it('keeps a negatable flag tri-state: absent, --use, --no-use', async () => {
    const use = async (...flags: string[]) =>
      ((await parse(['p', '--need', 'n', ...flags])).received as { use?: boolean }).use;
    expect(await use()).toBeUndefined();
    expect(await use('--use')).toBe(true);
    expect(await use('--no-use')).toBe(false);
  });

  it('refuses a value outside the choices, a missing required option and a missing argument', async () => {
    const bad = await parse(['p', '--need', 'n', '--format', 'yaml']);
    expect(bad.error).toBe('commander.invalidArgument');
    expect(bad.err).toMatch(/Allowed choices are text, json/);
    expect((await parse(['p'])).error).toBe('commander.missingMandatoryOptionValue');
    expect((await parse(['--need', 'n'])).error).toBe('commander.missingArgument');
  });

  it('shows the examples and the extra help after the options', async () => {
    const r = await parse(['--help']);
    expect(r.error).toBe('commander.helpDisplayed');
    expect(r.out).toMatch(/--dry-run\s+dry/);
    expect(r.out).toMatch(/--no-use\s+do not use it/);
    expect(r.out).toContain('Examples:\n  codexgw t portkey --need 1\n\nExit codes: 0 ok.');
  });

  it('names flags from keys and arguments from names', () => {
    expect(kebab('secretsFile')).toBe('secrets-file');
    expect(camel('provider-id')).toBe('providerId');
    expect(camel('VAR')).toBe('VAR');
  });
});
