import { describe, expect, it } from 'vitest';
import { opt, parseOptions } from '../../src/commands/shared-options.ts';
import { EXIT, UsageError } from '../../src/errors.ts';

const schema = opt.object({
  format: opt.default(opt.enum(['text', 'json']), 'text'),
  baseUrl: opt.optional(opt.string()),
  dryRun: opt.optional(opt.boolean()),
  header: opt.optional(opt.array(opt.string())),
  positionals: opt.tuple([opt.string()]),
});

function failure(raw: unknown): UsageError {
  try {
    parseOptions(schema, raw);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a usage error');
}

describe('parseOptions', () => {
  it('keeps the named options, fills defaults, and drops what commander adds besides', () => {
    const parsed = parseOptions(schema, {
      baseUrl: 'https://gw.example/v1',
      header: ['a=1'],
      positionals: ['portkey'],
      color: false,
      args: ['portkey'],
    });
    expect(parsed).toEqual({
      format: 'text',
      baseUrl: 'https://gw.example/v1',
      header: ['a=1'],
      positionals: ['portkey'],
    });
    expect(parseOptions(schema, { format: 'json', dryRun: true, positionals: ['x'] })).toEqual({
      format: 'json',
      dryRun: true,
      positionals: ['x'],
    });
  });

  it('names the option, in its command-line spelling, and what it expected', () => {
    const err = failure({ baseUrl: 42, positionals: ['x'] });
    expect(err.message).toBe('Invalid option --base-url: expected a string.');
    expect(err.hint).toBe('Run the command with --help to see its options.');
    expect(err.exitCode).toBe(EXIT.usage);
    expect(failure({ format: 'yaml', positionals: ['x'] }).message).toBe(
      'Invalid option --format: expected one of "text", "json".',
    );
    expect(failure({ dryRun: 'yes', positionals: ['x'] }).message).toBe(
      'Invalid option --dry-run: expected true or false.',
    );
    expect(failure({ header: ['a=1', 2], positionals: ['x'] }).message).toBe(
      'Invalid option --header: expected a list, each a string.',
    );
  });

  it('checks the positionals: their number and each one', () => {
    expect(failure({}).message).toBe('Invalid arguments: expected a string.');
    expect(failure({ positionals: ['a', 'b'] }).message).toBe('Invalid arguments: expected a string.');
    expect(failure({ positionals: [7] }).message).toBe('Invalid arguments: expected a string.');
  });
});
