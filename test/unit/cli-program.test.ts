import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.ts';
import {
  bundleFor,
  bundleOf,
  COMMAND_GROUPS,
  commandSignature,
  commandWord,
  TOP_LEVEL_COMMANDS,
  topLevelOf,
} from '../../src/command-word.ts';
import { COMMANDS as READ } from '../../src/commands/read-registry.ts';
import { COMMANDS as MAIN } from '../../src/commands/registry.ts';
import { COMMANDS as SWITCH } from '../../src/commands/switch-registry.ts';
import { captureContext } from '../helpers/tmp.ts';

const build = (argv?: string[]) => buildProgram(captureContext().ctx, () => {}, argv);

/** Every command's help, with its subcommands', keyed by its full name. */
function helpOf(cmd: Command, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  const name = `${prefix}${cmd.name()}`;
  out.set(name, cmd.helpInformation());
  for (const sub of cmd.commands) for (const [k, v] of helpOf(sub, `${name} `)) out.set(k, v);
  return out;
}

describe('the command table', () => {
  it('names its top-level commands in TOP_LEVEL_COMMANDS, in order', () => {
    expect(build().commands.map((c) => c.name())).toEqual([...TOP_LEVEL_COMMANDS]);
  });

  it('defines only the command being run, exactly as the full table does', () => {
    const full = build();
    for (const name of TOP_LEVEL_COMMANDS) {
      const partial = build([name, '--help']);
      expect(partial.commands.map((c) => c.name())).toEqual([name]);
      const twin = full.commands.find((c) => c.name() === name)!;
      expect(helpOf(partial.commands[0]!)).toEqual(helpOf(twin));
    }
    // Help asked for before the command is the root's: it lists every command.
    expect(build(['--help', 'validate']).commands.map((c) => c.name())).toEqual(
      full.commands.map((c) => c.name()),
    );
  });

  it('finds the command word after the global options', () => {
    expect(commandWord(['use', 'portkey'])).toBe('use');
    expect(commandWord(['-C', 'some/dir', '--no-color', 'validate', '--strict'])).toBe('validate');
    expect(commandWord(['--cwd', 'use'])).toBeUndefined(); // "use" is the directory here
    expect(commandWord(['--debug', 'provider', 'add', 'portkey'])).toBe('provider');
    // The whole table for help, version, nothing, or a word that is no command.
    for (const argv of [
      ['help', 'use'],
      ['--help'],
      ['-h', 'use'],
      ['--version'],
      [],
      ['nope'],
      ['--', 'use'],
    ]) {
      expect(commandWord(argv)).toBeUndefined();
    }
  });

  it('sends each command to the bundle that holds its registry, and every command has one', () => {
    const registries = { read: READ, switch: SWITCH, main: MAIN };
    const routed: string[] = [];
    for (const [bundle, commands] of Object.entries(registries)) {
      for (const name of Object.keys(commands)) {
        const word = topLevelOf(name)!;
        // The registry's bundle (scripts/build.mjs) is the one the launcher loads for the command.
        expect([name, bundleOf(word)]).toEqual([name, bundle]);
        expect(bundleFor(['-C', 'x', word])).toBe(bundle);
        routed.push(word);
      }
    }
    expect(new Set(routed)).toEqual(new Set(TOP_LEVEL_COMMANDS));
    expect(bundleFor(['--help'])).toBe('read');
    expect(bundleFor(['nope'])).toBe('read');
  });

  it('names what a command line runs, without its arguments (the code cache keys on it)', () => {
    const groups = build()
      .commands.filter((c) => c.commands.length > 0)
      .map((c) => c.name());
    expect([...COMMAND_GROUPS].sort()).toEqual(groups.sort());
    expect(commandSignature(['validate', 'a.toml'])).toBe('validate');
    expect(commandSignature(['-C', 'dir', 'config', 'show', '--json'])).toBe('config.show');
    // A -C directory named like the command is not the command.
    expect(commandSignature(['-C', 'env', 'env', 'list'])).toBe('env.list');
    expect(commandSignature(['use', 'portkey', '--dry-run'])).toBe('use');
    expect(commandSignature(['provider', '--json', 'add', 'portkey'])).toBe('provider.add');
    expect(commandSignature(['env', 'set', 'KEY'])).toBe('env.set');
    expect(commandSignature(['model'])).toBe('model');
    expect(commandSignature(['--help'])).toBe('help');
    expect(commandSignature(['nope'])).toBe('help');
  });
});
