/**
 * The one way codexgw asks the user something. Every question names the flag that answers it
 * non-interactively: when prompting is not allowed (stdin is not a terminal, or CI is set) the
 * question is refused with a UsageError that says which flag to pass, so a script never hangs.
 *
 * Prompts are drawn on stderr (stdout stays clean for data such as diffs) and read ctx.stdin.
 * @inquirer/prompts is imported inside each function: commands that never ask never load it.
 * Ctrl-C makes @inquirer throw its ExitPromptError, which the CLI's error sink turns into exit 130.
 */
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';

export interface Choice<T> {
  value: T;
  name: string;
  description?: string | undefined;
}

/** What every question carries: its text and the flag that answers it without a prompt. */
export interface Question {
  message: string;
  /** e.g. "--gateway <name>"; named in the error when codexgw may not ask. */
  flag: string;
}

/** A validator: true when the answer is acceptable, else the message shown under the prompt. */
export type Validate<T> = (value: T) => true | string;

export interface SelectQuestion<T> extends Question {
  choices: readonly Choice<T>[];
  default?: T | undefined;
}

export interface SearchQuestion<T> extends Question {
  /** The choices for what the user has typed so far ('' at first). */
  source: (term: string) => readonly Choice<T>[];
  validate?: Validate<T> | undefined;
}

export interface InputQuestion extends Question {
  default?: string | undefined;
  validate?: Validate<string> | undefined;
}

export interface SecretQuestion extends Question {
  validate?: Validate<string> | undefined;
}

export interface ConfirmQuestion extends Question {
  default?: boolean | undefined;
}

/**
 * The questions a wizard may ask, as an object so steps take it as a parameter and tests can
 * answer by message text instead of driving a terminal.
 */
export interface Ask {
  select<T>(q: SelectQuestion<T>): Promise<T>;
  search<T>(q: SearchQuestion<T>): Promise<T>;
  input(q: InputQuestion): Promise<string>;
  /** Hidden input (shown as *): API keys. */
  secret(q: SecretQuestion): Promise<string>;
  confirm(q: ConfirmQuestion): Promise<boolean>;
  /** A line of help between questions (stderr). */
  say(line: string): void;
}

/** Refuse to prompt when codexgw may not: the error names the flag that answers the question. */
export function assertCanAsk(ctx: Context, q: Question): void {
  if (ctx.interactive) return;
  const why = ctx.stdin.isTTY ? 'CI is set' : 'stdin is not a terminal';
  throw new UsageError(`codexgw cannot ask "${q.message.replace(/[:?]\s*$/, '')}": ${why}.`, {
    hint: `Pass ${q.flag}.`,
  });
}

function streams(ctx: Context): { input: NodeJS.ReadableStream; output: NodeJS.WritableStream } {
  // A captured Writer in tests has no stream methods; the real stderr does.
  const output =
    'on' in ctx.stderr && typeof (ctx.stderr as { on?: unknown }).on === 'function'
      ? (ctx.stderr as unknown as NodeJS.WritableStream)
      : process.stderr;
  return { input: ctx.stdin, output };
}

export async function askSelect<T>(ctx: Context, q: SelectQuestion<T>): Promise<T> {
  assertCanAsk(ctx, q);
  const { select } = await import('@inquirer/prompts');
  return select<T>(
    {
      message: q.message,
      choices: q.choices.map((c) => ({ value: c.value, name: c.name, description: c.description })),
      default: q.default,
      pageSize: 12,
      loop: false,
    },
    streams(ctx),
  );
}

export async function askSearch<T>(ctx: Context, q: SearchQuestion<T>): Promise<T> {
  assertCanAsk(ctx, q);
  const { search } = await import('@inquirer/prompts');
  const validate = q.validate;
  return search<T>(
    {
      message: q.message,
      source: (term) => q.source(term ?? '').map((c) => ({ ...c })),
      validate: validate ? (value: T) => validate(value) : undefined,
      pageSize: 12,
    },
    streams(ctx),
  );
}

export async function askInput(ctx: Context, q: InputQuestion): Promise<string> {
  assertCanAsk(ctx, q);
  const { input } = await import('@inquirer/prompts');
  const validate = q.validate;
  return input(
    {
      message: q.message,
      default: q.default,
      validate: validate ? (value: string) => validate(value) : undefined,
    },
    streams(ctx),
  );
}

export async function askSecret(ctx: Context, q: SecretQuestion): Promise<string> {
  assertCanAsk(ctx, q);
  const { password } = await import('@inquirer/prompts');
  const validate = q.validate;
  return password(
    {
      message: q.message,
      mask: '*',
      validate: validate ? (value: string) => validate(value) : undefined,
    },
    streams(ctx),
  );
}

export async function askConfirm(ctx: Context, q: ConfirmQuestion): Promise<boolean> {
  assertCanAsk(ctx, q);
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message: q.message, default: q.default ?? true }, streams(ctx));
}

/** The Ask that prompts on the terminal through @inquirer/prompts. */
export function promptAsk(ctx: Context): Ask {
  return {
    select: (q) => askSelect(ctx, q),
    search: (q) => askSearch(ctx, q),
    input: (q) => askInput(ctx, q),
    secret: (q) => askSecret(ctx, q),
    confirm: (q) => askConfirm(ctx, q),
    say: (line) => ctx.stderr.write(`${line}\n`),
  };
}

/** Whether the locale says the terminal shows UTF-8 (unset counts as yes: Node writes UTF-8). */
export function isUtf8Locale(env: NodeJS.ProcessEnv): boolean {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG;
  return !locale || /utf-?8/i.test(locale);
}

const ASCII: Readonly<Record<string, string>> = {
  '✓': '+',
  '✗': 'x',
  '…': '...',
  '❯': '>',
  '→': '->',
  '—': '-',
};
const NON_ASCII_SYMBOL = /[✓✗…❯→—]/g;

/** The text with codexgw's symbols spelled in ASCII, for a terminal whose locale is not UTF-8. */
export function asciiSymbols(text: string): string {
  return text.replace(NON_ASCII_SYMBOL, (s) => ASCII[s] ?? s);
}

/** A terminal writer that spells codexgw's symbols in ASCII when the locale is not UTF-8 (else `w` itself). */
export function localeWriter<W extends { write(text: string): void; isTTY?: boolean | undefined }>(
  w: W,
  env: NodeJS.ProcessEnv,
): W {
  // Only a terminal: data piped to a file or a program keeps every byte.
  if (!w.isTTY || isUtf8Locale(env)) return w;
  return Object.assign(Object.create(w) as W, { write: (text: string) => w.write(asciiSymbols(text)) });
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ASCII_FRAMES = ['-', '\\', '|', '/'];

/**
 * Show `label` with a spinner on stderr while `work` runs — only on a terminal, never in a pipe,
 * in CI or under --json (`quiet`), so scripts and logs see nothing. The line is erased at the end.
 */
export async function withSpinner<T>(
  ctx: Pick<Context, 'stderr' | 'env'>,
  label: string,
  work: Promise<T>,
  opts: { quiet?: boolean | undefined; intervalMs?: number } = {},
): Promise<T> {
  const ci = ctx.env.CI !== undefined && ctx.env.CI !== '' && ctx.env.CI !== '0' && ctx.env.CI !== 'false';
  if (opts.quiet || !ctx.stderr.isTTY || ci) return work;
  const frames = isUtf8Locale(ctx.env) ? FRAMES : ASCII_FRAMES;
  let i = 0;
  const draw = () => ctx.stderr.write(`\r${frames[i++ % frames.length]} ${label}`);
  draw();
  const timer = setInterval(draw, opts.intervalMs ?? 80);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    ctx.stderr.write(`\r${' '.repeat(label.length + 2)}\r`);
  }
}
