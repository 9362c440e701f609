import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { bundleOf, commandWord, topLevelOf } from './command-word.ts';
import type { ReadCommandName } from './commands/read-registry.ts';
import type { CommandName as MainCommandName } from './commands/registry.ts';
import type { SwitchCommandName } from './commands/switch-registry.ts';
import { type Context, extendContext } from './context.ts';
import { CodexgwError, EXIT, formatLocation } from './errors.ts';
import { GATEWAY_IDS as GATEWAYS } from './gateways/types.ts';
import { colorLevel, PLAIN_PALETTE } from './io/palette.ts';
import { stdioWriter } from './io/stdio.ts';
import { SHELLS } from './shell/quote.ts';

export const VERSION = '0.1.0';

type CommandName = ReadCommandName | SwitchCommandName | MainCommandName;
/** A registry entry: imports the command's module. */
type LoadCommand = () => Promise<{ run: (options: unknown, ctx: Context) => Promise<number> }>;

/** Each bundle's registry: a bundle holds only its own (the others are stubs there). */
const REGISTRIES = {
  read: () => import('./commands/read-registry.ts'),
  switch: () => import('./commands/switch-registry.ts'),
  main: () => import('./commands/registry.ts'),
};

/** Collect a repeatable option (`-c a=1 -c b=2`). */
const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The command table. An action imports its registry, then its own command's module, only when it
 * runs, so `--help` and usage errors never run the commands' module code.
 */
export function buildProgram(
  ctx: Context,
  setExit: (code: number) => void,
  argv?: readonly string[],
): Command {
  const program = new Command('codexgw')
    .description('Manage OpenAI Codex CLI configuration for LLM gateways (Portkey, TrueFoundry, LiteLLM, …).')
    .version(VERSION, '-V, --version', 'print the codexgw version')
    .option('-C, --cwd <dir>', 'run as if codexgw was started in <dir>')
    .option('--no-color', 'disable colour (NO_COLOR is honoured too)')
    .option('--debug', 'print stack traces for errors')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      outputError: (s, write) => write(ctx.errColor.danger(s)),
    })
    .exitOverride();

  // Each command resolves its context (cwd from -C, colour) from the global options.
  const run = (name: CommandName) =>
    async function (this: Command, ...args: unknown[]) {
      const cmd = args[args.length - 1] as Command;
      const opts = { ...cmd.optsWithGlobals(), args: cmd.args };
      const local = withGlobals(ctx, opts);
      const registry = (await REGISTRIES[bundleOf(topLevelOf(name))]()).COMMANDS;
      const command = await (registry as Record<string, LoadCommand>)[name]!();
      setExit(await command.run({ ...opts, positionals: args.slice(0, -2) }, local));
    };

  // A command line that names a command gets only that command, in full: nothing else is
  // reachable from it (usage errors and suggestions below a command stay within it). --help,
  // `help` and anything unrecognised get the whole table.
  const only = commandWord(argv ?? []);
  const top = (name: string, description: string): Command | undefined =>
    only === undefined || only === name ? program.command(name).description(description) : undefined;

  const config = top('config', 'show the effective (merged) Codex configuration');
  config
    ?.command('show')
    .description('print the merged config of every layer Codex would load here')
    .option('--origin', 'follow each value with the file:line it came from')
    .option('--json', 'print JSON: {config, origins, layers, ignored}')
    .option('-p, --profile <name>', 'layer $CODEX_HOME/<name>.config.toml, as codex --profile does')
    .option('-c, --config <key=value>', 'override a value, as codex -c does (repeatable)', collect)
    .addHelpText(
      'after',
      '\nExamples:\n  codexgw config show --origin\n  codexgw config show --json -c model=o3',
    )
    .action(run('config/show'));
  config
    ?.command('get <key>')
    .description('print one merged value (exit 1 when unset)')
    .option('--json', 'print the value as JSON')
    .option('--origin', 'also print where the value came from')
    .option('-p, --profile <name>', 'layer $CODEX_HOME/<name>.config.toml')
    .option('-c, --config <key=value>', 'override a value (repeatable)', collect)
    .addHelpText(
      'after',
      '\nExamples:\n  codexgw config get model_provider\n  codexgw config get model_providers.portkey.base_url --origin',
    )
    .action(run('config/get'));

  top('validate', 'check Codex config files the way Codex loads them (the CI step: no prompts, no network)')
    ?.argument('[files...]')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'),
    )
    .option('--strict', 'fail on warnings too (what codex --strict-config refuses)')
    .option('-p, --profile <name>', 'also check $CODEX_HOME/<name>.config.toml')
    .option('-c, --config <key=value>', 'override a value (repeatable)', collect)
    .option('--codex-version <version>', "apply this Codex release's rules (default: the codex on PATH)")
    .addHelpText(
      'after',
      '\nExamples:\n  codexgw validate\n  codexgw validate --strict --format github .codex/config.toml\n\nExit codes: 0 no errors, 1 errors (or warnings with --strict), 2 usage error.',
    )
    .action(run('validate'));

  const keyOptions = (cmd: Command) =>
    cmd
      .addOption(new Option('--shell <shell>', 'shell whose rc file gets the key').choices(SHELLS))
      .option('--rc-file <path>', 'write to this rc file instead of the shell default')
      .option(
        '--secrets-file',
        'keep values in $CODEX_HOME/codexgw.env (mode 0600); the rc block only sources it',
      );

  const provider = top('provider', 'add, list, show and remove model providers');
  if (provider) {
    keyOptions(
      provider
        .command('add <gateway>')
        .description(`add [model_providers.<id>] from a gateway preset (${GATEWAYS.join(', ')})`)
        .option(
          '--id <id>',
          'provider id (default: the gateway name); keep it stable, sessions are filed under it',
        )
        .option('--base-url <url>', "the gateway's base URL (Codex appends /responses)")
        .option('--env-key <VAR>', 'environment variable holding the API key')
        .option('--model <model>', 'also set model (with --use)')
        .option('--header <K=V>', 'static HTTP header (repeatable)', collect)
        .option(
          '--env-header <K=VAR>',
          'HTTP header taken from an environment variable (repeatable)',
          collect,
        )
        .option('--query <K=V>', 'query parameter added to every request (repeatable)', collect)
        .option('-p, --profile <name>', 'write to $CODEX_HOME/<name>.config.toml instead of config.toml')
        .option('--use', 'also make it the active provider')
        .option('--force', 'replace an existing provider with the same id')
        .option(
          '--key-stdin',
          "read the provider's API key from stdin and store it in the shell rc (never argv)",
        )
        .option('--dry-run', 'print the diff and write nothing'),
    )
      .addHelpText(
        'after',
        '\nExamples:\n  codexgw provider add portkey --use --model @openai-prod/gpt-5\n  codexgw provider add truefoundry --base-url https://gateway.truefoundry.ai --id tfy',
      )
      .action(run('provider/add'));
    provider
      .command('list')
      .description('list providers: id, gateway, base URL, env key (set?), active, where defined')
      .option('--json', 'print JSON')
      .option('-p, --profile <name>', 'include $CODEX_HOME/<name>.config.toml')
      .action(run('provider/list'));
    provider
      .command('show <id>')
      .description('show one provider with the origin of each field')
      .option('--json', 'print JSON')
      .option('-p, --profile <name>', 'include $CODEX_HOME/<name>.config.toml')
      .action(run('provider/show'));
    provider
      .command('remove <id>')
      .description('remove [model_providers.<id>] (with its leading comments)')
      .option('-p, --profile <name>', 'remove it from $CODEX_HOME/<name>.config.toml')
      .option('--force', 'remove it even if it is the active provider')
      .option('--dry-run', 'print the diff and write nothing')
      .action(run('provider/remove'));
  }

  top('use', 'switch the active provider (model_provider); with no id, print the active one')
    ?.argument('[provider-id]')
    .option('--model <model>', 'also set model')
    .option('-p, --profile <name>', 'switch in $CODEX_HOME/<name>.config.toml (for codex --profile <name>)')
    .option('--dry-run', 'print the diff and write nothing')
    .addHelpText(
      'after',
      '\nExamples:\n  codexgw use portkey\n  codexgw use tfy --model gpt-5 --profile work',
    )
    .action(run('use'));

  const model = top('model', "set the model, or list the gateway's models");
  model
    ?.command('set <model>')
    .description("set model, checked against the active provider's gateway naming rules")
    .option('-p, --profile <name>', 'set it in $CODEX_HOME/<name>.config.toml')
    .option('--dry-run', 'print the diff and write nothing')
    .action(run('model/set'));
  model
    ?.command('list')
    .description("list models from the provider's models endpoint (GET <base>/models)")
    .option('--provider <id>', 'provider to ask (default: the active one)')
    .option('--json', 'print JSON')
    .option('--timeout <seconds>', 'network timeout in seconds', '10')
    .option('-p, --profile <name>', 'include $CODEX_HOME/<name>.config.toml')
    .action(run('model/list'));

  top('restore', 'restore a config file from a codexgw backup ($CODEX_HOME/backups)')
    ?.argument('[backup]')
    .option('--list', 'list the backups, newest first')
    .option('--dry-run', 'print the diff and write nothing')
    .addHelpText(
      'after',
      '\nExamples:\n  codexgw restore --list\n  codexgw restore            # the newest backup\n  codexgw restore <name> --dry-run',
    )
    .action(run('restore'));

  top('truefoundry', 'TrueFoundry helpers')
    ?.command('routing-rule')
    .description('print the gateway-load-balancing rule that lets Codex use a plain model name')
    .requiredOption('--model <plain>', 'the plain model name Codex sends (e.g. gpt-5)')
    .requiredOption('--target <account/model>', 'the TrueFoundry model it routes to (e.g. openai-main/gpt-5)')
    .action(run('truefoundry-routing-rule'));

  const env = top('env', "manage provider keys in your shell's rc file (a managed block)");
  if (env) {
    keyOptions(
      env
        .command('set <VAR>')
        .description('set VAR in the managed block (value from a hidden prompt, or stdin)')
        .option('--value-stdin', 'read the value from stdin (for scripts and CI)')
        .option('--dry-run', 'print the diff and write nothing'),
    ).action(run('env/set'));
    keyOptions(
      env
        .command('unset <VAR>')
        .description('remove VAR from the managed block')
        .option('--dry-run', 'print the diff and write nothing'),
    ).action(run('env/unset'));
    keyOptions(
      env
        .command('list')
        .description('list the variables in the managed block (masked)')
        .option('--json', 'print JSON'),
    ).action(run('env/list'));
    keyOptions(
      env
        .command('remove')
        .description('remove the whole managed block')
        .option('--dry-run', 'print the diff and write nothing'),
    ).action(run('env/remove'));
    keyOptions(
      env.command('print').description('print the export lines, for eval "$(codexgw env print)"'),
    ).action(run('env/print'));
  }

  const init = top(
    'init',
    'the set-up wizard: gateway, URL, id, key, model, headers, scope; shows the diff, then writes',
  );
  if (init) {
    keyOptions(
      init
        .addOption(new Option('--gateway <gateway>', 'gateway preset').choices(GATEWAYS))
        .option('--base-url <url>', "the gateway's base URL")
        .option('--id <id>', 'provider id')
        .option('--env-key <VAR>', 'environment variable for the API key')
        .option('--key-stdin', 'read the API key from stdin')
        .option('--model <model>', 'model to use')
        .option('--header <K=V>', 'static HTTP header (repeatable)', collect)
        .option('--env-header <K=VAR>', 'HTTP header from an environment variable (repeatable)', collect)
        .option('-p, --profile <name>', 'write a profile file instead of the user config')
        .option('--use', 'make the provider active (default)')
        .option('--no-use', 'do not make the provider active')
        .option('-y, --yes', 'accept defaults and do not ask')
        .option('--dry-run', 'print the diffs and write nothing'),
    )
      .addHelpText(
        'after',
        '\nExamples:\n  codexgw init\n  echo "$KEY" | codexgw init --yes --gateway portkey --key-stdin --model @openai-prod/gpt-5',
      )
      .action(run('init'));
  }

  top('doctor', 'explain what is wrong with this Codex + gateway setup, and how to fix it')
    ?.option('--online', 'also call the gateway: GET <base>/models with the key')
    .option('--request', 'with --online, send one tiny POST <base>/responses')
    .option('--timeout <seconds>', 'timeout for every network check', '5')
    .option('--json', 'print JSON: {checks, summary}')
    .option('--fix', 'apply safe fixes (migrate legacy profiles into profile files)')
    .option('-p, --profile <name>', 'check with $CODEX_HOME/<name>.config.toml layered')
    .option('-c, --config <key=value>', 'override a value (repeatable)', collect)
    .option('--codex-version <version>', "apply this Codex release's rules (default: the codex on PATH)")
    .addHelpText(
      'after',
      '\nExamples:\n  codexgw doctor\n  codexgw doctor --online --json\n\nExit codes: 0 no errors, 1 errors found.',
    )
    .action(run('doctor'));

  for (const c of program.commands) c.exitOverride();
  return program;
}

function withGlobals(ctx: Context, opts: Record<string, unknown>): Context {
  const cwd = typeof opts.cwd === 'string' ? path.resolve(ctx.cwd, opts.cwd) : ctx.cwd;
  const debug = Boolean(opts.debug) || ctx.debug;
  const plain = opts.color === false ? { color: PLAIN_PALETTE, errColor: PLAIN_PALETTE } : {};
  return extendContext(ctx, { cwd, debug, ...plain });
}

/**
 * A Context for the real process. chalk is loaded only when a stream is a colour terminal: pipes,
 * CI and NO_COLOR get the plain palette, and start-up skips the library.
 */
export async function processContext(): Promise<Context> {
  const env = process.env;
  const noColorFlag = process.argv.includes('--no-color');
  const stdout = stdioWriter(1, () => process.stdout);
  const stderr = stdioWriter(2, () => process.stderr);
  const outLevel = colorLevel(env, stdout.isTTY, noColorFlag);
  const errLevel = colorLevel(env, stderr.isTTY, noColorFlag);
  const { makePalette } =
    outLevel || errLevel ? await import('./io/colors.ts') : { makePalette: () => PLAIN_PALETTE };
  return {
    cwd: process.cwd(),
    env,
    stdout,
    stderr,
    // Creating process.stdin sets up a stream (~4 ms); only prompts and --*-stdin need it.
    get stdin() {
      return process.stdin;
    },
    color: makePalette(outLevel),
    errColor: makePalette(errLevel),
    debug: process.argv.includes('--debug') || /\bcodexgw\b/.test(env.DEBUG ?? ''),
    get interactive() {
      return Boolean(process.stdin.isTTY) && !isCI(env);
    },
    now: () => new Date(),
  };
}

export function isCI(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI !== 'false';
}

/** Run codexgw with `argv` (without node and script). Returns the exit code; never throws. */
export async function main(argv: string[], givenCtx?: Context): Promise<number> {
  const baseCtx = givenCtx ?? (await processContext());
  // --debug must reach the error sink even when the failure happens before commander parsed it.
  const ctx = argv.includes('--debug') ? extendContext(baseCtx, { debug: true }) : baseCtx;
  let exitCode: number = EXIT.ok;
  const program = buildProgram(
    ctx,
    (code) => {
      exitCode = code;
    },
    argv,
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    return reportError(err, ctx);
  }
}

/** The single sink: every error becomes one paragraph on stderr and a documented exit code. */
export function reportError(err: unknown, ctx: Context): number {
  const c = ctx.errColor;
  if (err instanceof CommanderError) {
    // Help and version "errors" are normal exits; commander already printed the usage problem.
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help'
    ) {
      return EXIT.ok;
    }
    if (err.code === 'commander.executeSubCommandAsync') return EXIT.ok;
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof CodexgwError) {
    if (err.name === 'ExitError') return err.exitCode;
    const where = formatLocation(err);
    const lines = [`${c.danger('error:')} ${err.message}`];
    if (where && !err.message.includes(where)) lines.push(`  ${c.dim('at')} ${where}`);
    if (err.hint) lines.push(`  ${c.info('fix:')} ${err.hint}`);
    if (ctx.debug && err.stack) lines.push(c.dim(err.stack), ...causeStack(err));
    ctx.stderr.write(`${lines.join('\n')}\n`);
    return err.exitCode;
  }
  if (isPromptCancel(err)) {
    ctx.stderr.write(`${c.warn('Cancelled.')} Nothing was written.\n`);
    return EXIT.cancelled;
  }
  const message = err instanceof Error ? err.message : String(err);
  const lines = [`${c.danger('internal error:')} ${message}`];
  lines.push(
    `  ${c.info('fix:')} This is a bug in codexgw; nothing was written. Re-run with --debug and report the output.`,
  );
  if (ctx.debug && err instanceof Error && err.stack) lines.push(c.dim(err.stack));
  ctx.stderr.write(`${lines.join('\n')}\n`);
  return EXIT.internal;
}

function causeStack(err: Error): string[] {
  const cause = err.cause;
  return cause instanceof Error && cause.stack ? [`caused by: ${cause.stack}`] : [];
}

/** @inquirer/prompts throws ExitPromptError on Ctrl-C. */
export function isPromptCancel(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}
