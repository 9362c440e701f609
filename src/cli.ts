import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { type CommandModule, type CommandOutcome, camel, kebab, type OptionSpec } from './command-spec.ts';
import { COMMANDS, commandsFor, GROUPS } from './commands/index.ts';
import { type Context, extendContext } from './context.ts';
import { CodexgwError, EXIT, formatLocation, type Location } from './errors.ts';
import { escapeGithubData, escapeGithubProperty } from './io/github.ts';
import { colorLevel, PLAIN_PALETTE } from './io/palette.ts';
import { localeWriter } from './io/prompts.ts';
import { oneLineSafe, withRedaction } from './io/redact.ts';
import { stdioWriter } from './io/stdio.ts';

export const VERSION = '0.1.0';

/** Collect a repeatable option (`-c a=1 -c b=2`). */
const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The commander program, built from the command specs (src/commands/index.ts). A command line that
 * names a command gets only that command (and only its module is loaded); --help, `help` and
 * anything unrecognised get the whole table.
 */
export async function buildProgram(
  ctx: Context,
  setExit: (code: number) => void,
  argv: readonly string[] = [],
): Promise<Command> {
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

  const names = commandsFor(argv);
  const modules = await Promise.all(names.map((name) => COMMANDS[name]!()));
  const groups = new Map<string, Command>();
  names.forEach((name, i) => {
    const words = name.split(' ');
    let parent = program;
    if (words.length === 2) {
      const group = words[0]!;
      if (!groups.has(group)) groups.set(group, program.command(group).description(GROUPS[group]!));
      parent = groups.get(group)!;
    }
    defineCommand(parent.command(words[words.length - 1]!), modules[i]!, ctx, setExit);
  });

  for (const c of program.commands) c.exitOverride();
  return program;
}

/** One command from its spec: arguments, options, examples, and the action that runs it. */
export function defineCommand(
  cmd: Command,
  module: CommandModule,
  ctx: Context,
  setExit: (code: number) => void,
): void {
  const { spec } = module;
  cmd.description(spec.summary);
  const args = spec.args ?? [];
  for (const arg of args) {
    const word = arg.variadic ? `${arg.name}...` : arg.name;
    cmd.argument(arg.required ? `<${word}>` : `[${word}]`, arg.description);
  }
  for (const [key, option] of Object.entries(spec.options)) addOption(cmd, key, option);
  const examples = spec.examples.map((e) => `  ${e}`).join('\n');
  cmd.addHelpText('after', `\nExamples:\n${examples}${spec.help ? `\n\n${spec.help}` : ''}`);
  cmd.action(async (...values: unknown[]) => {
    const self = values[values.length - 1] as Command;
    const given = self.opts();
    const options: Record<string, unknown> = {};
    for (const key of Object.keys(spec.options)) if (given[key] !== undefined) options[key] = given[key];
    args.forEach((arg, i) => {
      if (values[i] !== undefined) options[camel(arg.name)] = values[i];
    });
    const runCtx = withGlobals(ctx, self.optsWithGlobals());
    const out = await module.run(options, runCtx);
    setExit(typeof out === 'number' ? out : emit(module, out, options, runCtx));
  });
}

/** Print a command's result: JSON under --json, else its module's text form. */
function emit(
  module: CommandModule,
  out: CommandOutcome,
  options: Record<string, unknown>,
  ctx: Context,
): number {
  if (options.json || !module.render) ctx.stdout.write(`${JSON.stringify(out.result, null, 2)}\n`);
  else module.render(out.result, ctx, options);
  return out.exitCode;
}

function addOption(cmd: Command, key: string, option: OptionSpec): void {
  const short = option.short ? `-${option.short}, ` : '';
  const long = `--${kebab(key)}`;
  if (option.kind === 'flag') {
    cmd.option(`${short}${long}`, option.description);
    if (option.negatable) cmd.option(`--no-${kebab(key)}`, option.negatable);
    return;
  }
  const flags = `${short}${long} <${option.value}>`;
  if (option.kind === 'list') {
    cmd.option(flags, option.description, collect);
    return;
  }
  const o = new Option(flags, option.description);
  if (option.choices) o.choices(option.choices);
  if (option.default !== undefined) o.default(option.default);
  if (option.required) o.makeOptionMandatory();
  cmd.addOption(o);
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
  // A terminal whose locale is not UTF-8 gets ✓ ✗ … → as + x ... -> (see localeWriter).
  const stdout = localeWriter(
    stdioWriter(1, () => process.stdout),
    env,
  );
  const stderr = localeWriter(
    stdioWriter(2, () => process.stderr),
    env,
  );
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
  // Every byte goes out through the redaction boundary, in tests as in the real process.
  const baseCtx = withRedaction(givenCtx ?? (await processContext()));
  // --debug must reach the error sink even when the failure happens before commander parsed it.
  const ctx = argv.includes('--debug') ? extendContext(baseCtx, { debug: true }) : baseCtx;
  let exitCode: number = EXIT.ok;
  const program = await buildProgram(
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
    return reportError(err, ctx, errorFormatOf(argv));
  }
}

/** How the sink reports a failure: a paragraph on stderr, or (for scripts) on stdout. */
export type ErrorFormat = 'text' | 'json' | 'github';

/**
 * The format the command line asks for, read from argv itself: the failure may come before (or
 * from) commander's parse. `--json`, `--format json|github`, `--format=json|github`.
 */
export function errorFormatOf(argv: readonly string[]): ErrorFormat {
  let format: ErrorFormat = 'text';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    const value = a === '--format' ? argv[i + 1] : a.startsWith('--format=') ? a.slice(9) : undefined;
    if (value === 'json' || value === 'github') format = value;
    if (a === '--json' && format === 'text') format = 'json';
  }
  return format;
}

/** One failure, as every format reports it (README "Errors in JSON"). */
export interface ErrorReport {
  /** Stable: usage, failure, file, internal, cancelled. */
  code: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  fix: string | null;
}

/**
 * The single sink: every error becomes one paragraph on stderr (or, under --json / --format
 * json|github, one JSON object or annotation on stdout) and a documented exit code.
 */
export function reportError(err: unknown, ctx: Context, format: ErrorFormat = 'text'): number {
  const failure = describeFailure(err);
  // Help, version, or a failure the command has already reported.
  if (failure === undefined) return err instanceof CodexgwError ? err.exitCode : EXIT.ok;
  const { report, exitCode } = failure;
  const c = ctx.errColor;
  const stack = ctx.debug && err instanceof Error && err.stack ? [c.dim(err.stack), ...causeStack(err)] : [];
  if (format === 'json') {
    ctx.stdout.write(`${JSON.stringify({ error: report }, null, 2)}\n`);
    if (stack.length) ctx.stderr.write(`${stack.join('\n')}\n`);
    return exitCode;
  }
  if (format === 'github') {
    ctx.stdout.write(`${githubError(report)}\n`);
    if (stack.length) ctx.stderr.write(`${stack.join('\n')}\n`);
    return exitCode;
  }
  // Commander already printed its usage message; the text sink adds nothing to it.
  if (err instanceof CommanderError) return exitCode;
  if (isPromptCancel(err)) {
    ctx.stderr.write(`${c.warn('Cancelled.')} Nothing was written.\n`);
    return exitCode;
  }
  const internal = !(err instanceof CodexgwError);
  const lines = [`${c.danger(internal ? 'internal error:' : 'error:')} ${oneLineSafe(report.message)}`];
  const where = err instanceof CodexgwError ? formatLocation(err) : undefined;
  if (where && !report.message.includes(where)) lines.push(`  ${c.dim('at')} ${oneLineSafe(where)}`);
  if (report.fix) lines.push(`  ${c.info('fix:')} ${oneLineSafe(report.fix)}`);
  lines.push(...stack);
  ctx.stderr.write(`${lines.join('\n')}\n`);
  return exitCode;
}

const CODE_OF_EXIT: Record<number, string> = {
  [EXIT.failure]: 'failure',
  [EXIT.usage]: 'usage',
  [EXIT.io]: 'file',
  [EXIT.internal]: 'internal',
  [EXIT.cancelled]: 'cancelled',
};

/** The report and exit code of a failure; undefined for exits that are not failures (--help). */
function describeFailure(err: unknown): { report: ErrorReport; exitCode: number } | undefined {
  const report = (code: string, message: string, fix: string | undefined, loc: Location = {}) => ({
    code,
    message,
    file: loc.file ?? null,
    line: loc.line ?? null,
    column: loc.column ?? null,
    fix: fix ?? null,
  });
  if (err instanceof CommanderError) {
    // Help and version "errors" are normal exits; commander already printed the usage problem.
    if (
      err.exitCode === 0 ||
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help' ||
      err.code === 'commander.executeSubCommandAsync'
    ) {
      return undefined;
    }
    const message = err.message.replace(/^error: /, '');
    return {
      report: report('usage', message, 'Run the command with --help for usage.'),
      exitCode: EXIT.usage,
    };
  }
  if (err instanceof CodexgwError) {
    if (err.name === 'ExitError') return undefined;
    return {
      report: report(CODE_OF_EXIT[err.exitCode] ?? 'failure', err.message, err.hint, err),
      exitCode: err.exitCode,
    };
  }
  if (isPromptCancel(err)) {
    return {
      report: report('cancelled', 'Cancelled. Nothing was written.', undefined),
      exitCode: EXIT.cancelled,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    report: report(
      'internal',
      message,
      'This is a bug in codexgw; nothing was written. Re-run with --debug and report the output.',
    ),
    exitCode: EXIT.internal,
  };
}

/** The failure as a GitHub Actions `::error` annotation (escaped by the runner's rules). */
function githubError(r: ErrorReport): string {
  const props = [`title=${escapeGithubProperty(`codexgw ${r.code}`)}`];
  if (r.file) props.push(`file=${escapeGithubProperty(r.file)}`);
  if (r.line !== null) props.push(`line=${r.line}`);
  if (r.column !== null) props.push(`col=${r.column}`);
  const text = r.fix ? `${r.message}\nFix: ${r.fix}` : r.message;
  return `::error ${props.join(',')}::${escapeGithubData(text)}`;
}

function causeStack(err: Error): string[] {
  const cause = err.cause;
  return cause instanceof Error && cause.stack ? [`caused by: ${cause.stack}`] : [];
}

/** @inquirer/prompts throws ExitPromptError on Ctrl-C. */
export function isPromptCancel(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}
