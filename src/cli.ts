import { Command, CommanderError, Option } from 'commander';
import type { Context } from './context.ts';
import { CodexgwError, EXIT, formatLocation } from './errors.ts';
import { colorLevel, makePalette } from './io/colors.ts';

export const VERSION = '0.1.0';

/** Collect a repeatable option (`-c a=1 -c b=2`). */
const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The command table. Each action imports its command module only when that command runs, so
 * `--version`, `--help` and a quick `use` never load the code of `init` or `doctor`.
 */
export function buildProgram(ctx: Context, setExit: (code: number) => void): Command {
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
  // biome-ignore lint/suspicious/noExplicitAny: each command validates its own options.
  const run = (load: () => Promise<{ run: (opts: any, ctx: Context) => Promise<number> }>) =>
    async function (this: Command, ...args: unknown[]) {
      const cmd = args[args.length - 1] as Command;
      const opts = { ...cmd.optsWithGlobals(), args: cmd.args };
      const local = withGlobals(ctx, opts);
      const mod = await load();
      setExit(await mod.run({ ...opts, positionals: args.slice(0, -2) }, local));
    };

  const config = program.command('config').description('show the effective (merged) Codex configuration');
  config
    .command('show')
    .description('print the merged config of every layer Codex would load here')
    .option('--origin', 'follow each value with the file:line it came from')
    .option('--json', 'print JSON: {config, origins, layers, ignored}')
    .option('-p, --profile <name>', 'layer $CODEX_HOME/<name>.config.toml, as codex --profile does')
    .option('-c, --config <key=value>', 'override a value, as codex -c does (repeatable)', collect)
    .addHelpText(
      'after',
      '\nExamples:\n  codexgw config show --origin\n  codexgw config show --json -c model=o3',
    )
    .action(run(() => import('./commands/config/show.ts')));
  config
    .command('get <key>')
    .description('print one merged value (exit 1 when unset)')
    .option('--json', 'print the value as JSON')
    .option('--origin', 'also print where the value came from')
    .option('-p, --profile <name>', 'layer $CODEX_HOME/<name>.config.toml')
    .option('-c, --config <key=value>', 'override a value (repeatable)', collect)
    .addHelpText(
      'after',
      '\nExamples:\n  codexgw config get model_provider\n  codexgw config get model_providers.portkey.base_url --origin',
    )
    .action(run(() => import('./commands/config/get.ts')));

  program
    .command('validate [files...]')
    .description('check Codex config files the way Codex loads them (the CI step: no prompts, no network)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'),
    )
    .option('--strict', 'fail on warnings too (what codex --strict-config refuses)')
    .option('-p, --profile <name>', 'also check $CODEX_HOME/<name>.config.toml')
    .option('-c, --config <key=value>', 'override a value (repeatable)', collect)
    .addHelpText(
      'after',
      '\nExamples:\n  codexgw validate\n  codexgw validate --strict --format github .codex/config.toml\n\nExit codes: 0 no errors, 1 errors (or warnings with --strict), 2 usage error.',
    )
    .action(run(() => import('./commands/validate.ts')));

  for (const c of program.commands) c.exitOverride();
  return program;
}

function withGlobals(ctx: Context, opts: Record<string, unknown>): Context {
  const cwd = typeof opts.cwd === 'string' ? resolveCwd(ctx.cwd, opts.cwd) : ctx.cwd;
  if (opts.color === false) {
    return {
      ...ctx,
      cwd,
      color: makePalette(0),
      errColor: makePalette(0),
      debug: Boolean(opts.debug) || ctx.debug,
    };
  }
  return { ...ctx, cwd, debug: Boolean(opts.debug) || ctx.debug };
}

function resolveCwd(base: string, dir: string): string {
  // Imported lazily to keep this module free of work at import time.
  return dir.startsWith('/') ? dir : `${base.replace(/\/$/, '')}/${dir}`;
}

/** A Context for the real process. */
export function processContext(): Context {
  const env = process.env;
  const noColorFlag = process.argv.includes('--no-color');
  return {
    cwd: process.cwd(),
    env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    color: makePalette(colorLevel(env, Boolean(process.stdout.isTTY), noColorFlag)),
    errColor: makePalette(colorLevel(env, Boolean(process.stderr.isTTY), noColorFlag)),
    debug: process.argv.includes('--debug') || /\bcodexgw\b/.test(env.DEBUG ?? ''),
    interactive: Boolean(process.stdin.isTTY) && !isCI(env),
    now: () => new Date(),
  };
}

export function isCI(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI !== 'false';
}

/** Run codexgw with `argv` (without node and script). Returns the exit code; never throws. */
export async function main(argv: string[], ctx: Context = processContext()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(ctx, (code) => {
    exitCode = code;
  });
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
