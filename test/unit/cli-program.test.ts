import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, main } from '../../src/cli.ts';
import { COMMANDS, commandsFor, GROUPS, topLevelCommands } from '../../src/commands/index.ts';
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
  it('lists the top-level commands in the order of the registry', async () => {
    expect((await build()).commands.map((c) => c.name())).toEqual(topLevelCommands());
    expect(topLevelCommands()).toEqual([
      'config',
      'validate',
      'provider',
      'use',
      'model',
      'restore',
      'truefoundry',
      'env',
      'key',
      'init',
      'doctor',
      'trust',
      'untrust',
      'profile',
      'status',
      'pin',
      'unpin',
      'run',
      'completion',
    ]);
  });

  it('defines only the command being run, exactly as the full table does', async () => {
    const full = await build();
    for (const name of topLevelCommands()) {
      const partial = await build([name, '--help']);
      expect(partial.commands.map((c) => c.name())).toEqual([name]);
      const twin = full.commands.find((c) => c.name() === name)!;
      expect(helpOf(partial.commands[0]!)).toEqual(helpOf(twin));
    }
    // Help asked for before the command is the root's: it lists every command.
    expect((await build(['--help', 'validate'])).commands.map((c) => c.name())).toEqual(
      full.commands.map((c) => c.name()),
    );
  });

  it('finds the command after the global options, and only that one', () => {
    expect(commandsFor(['use', 'portkey'])).toEqual(['use']);
    expect(commandsFor(['-C', 'some/dir', '--no-color', 'validate', '--strict'])).toEqual(['validate']);
    // A -C directory named like a command is not the command.
    expect(commandsFor(['-C', 'env', 'env', 'list'])).toEqual(['env list']);
    expect(commandsFor(['--debug', 'provider', 'add', 'portkey'])).toEqual(['provider add']);
    expect(commandsFor(['config', 'show', '--json'])).toEqual(['config show']);
    // A group with no (or an unknown) subcommand gets the whole group, for its help and errors.
    expect(commandsFor(['model'])).toEqual(['model set', 'model list']);
    expect(commandsFor(['env', 'nope'])).toEqual(Object.keys(COMMANDS).filter((n) => n.startsWith('env ')));
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
      expect(commandsFor(argv)).toEqual(Object.keys(COMMANDS));
    }
  });

  it('has a summary for every group, and a group for every two-word command', async () => {
    const groups = (await build()).commands.filter((c) => c.commands.length > 0).map((c) => c.name());
    expect(groups.sort()).toEqual(Object.keys(GROUPS).sort());
    for (const name of Object.keys(COMMANDS)) {
      const words = name.split(' ');
      expect(words.length === 1 || words[0]! in GROUPS).toBe(true);
    }
  });

  it("prints each command's examples in its --help", async () => {
    for (const [name, load] of Object.entries(COMMANDS)) {
      const cap = captureContext();
      expect(await main([...name.split(' '), '--help'], cap.ctx)).toBe(0);
      const { spec } = await load();
      expect(spec.examples.length).toBeGreaterThan(0);
      const help = cap.out();
      expect(help).toContain('Examples:');
      for (const example of spec.examples)
        expect([name, help.includes(`  ${example}`)]).toEqual([name, true]);
    }
  });
});
