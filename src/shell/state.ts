import { statSync } from 'node:fs';
import path from 'node:path';
import { resolveCodexHome, userConfigPath } from '../config/paths.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { registerSecret, registerSecretEnvName } from '../io/redact.ts';
import { readTextFile, resolveTarget } from '../io/text-file.ts';
import { findAssignments } from './assignments.ts';
import { type RcScan, scanRc } from './block.ts';
import { type Line, splitLines } from './lines.ts';
import { SHELLS, type Shell, type Syntax, syntaxOf } from './quote.ts';
import { defaultRcFile, detectShell, resolveRcFlag, secretsFileName } from './rc-path.ts';

export interface EnvTargetOptions {
  /** `--shell`; default: from $SHELL. */
  shell?: string | undefined;
  /** `--rc-file`; default: the shell's own rc file. */
  rcFile?: string | undefined;
  /** For tests of other platforms' defaults; default: process.platform. */
  platform?: NodeJS.Platform | undefined;
}

/** Which shell, and which rc file holds its managed block. */
export interface EnvTarget {
  shell: Shell;
  syntax: Syntax;
  rcFile: string;
  /** False when --rc-file chose the file. */
  isDefault: boolean;
  platform: NodeJS.Platform;
}

export function resolveEnvTarget(opts: EnvTargetOptions, ctx: Pick<Context, 'env' | 'cwd'>): EnvTarget {
  const platform = opts.platform ?? process.platform;
  const shell = detectShell(ctx.env, opts.shell, platform);
  const rcFile = opts.rcFile
    ? resolveRcFlag(opts.rcFile, ctx.cwd, ctx.env)
    : defaultRcFile(shell, ctx.env, platform);
  assertShellRcFile(rcFile, ctx);
  return { shell, syntax: syntaxOf(shell), rcFile, isDefault: !opts.rcFile, platform };
}

/**
 * Refuse an rc file that is (or links to) a Codex config file or a codexgw secrets file: the
 * managed block would put `export KEY=…` lines, and the key, into config.toml, or make the
 * secrets file source itself.
 */
export function assertShellRcFile(rcFile: string, ctx: Pick<Context, 'env' | 'cwd'>): void {
  const real = resolveTarget(rcFile);
  const codexHome = codexHomeDir(ctx);
  const secrets = codexHome ? SHELLS.map((s) => resolveTarget(path.join(codexHome, secretsFileName(s)))) : [];
  // The same file under another name (a hard link) counts too.
  const same = (other: string) => other === real || sameInode(other, real);
  let what: string | undefined;
  if (secrets.some(same)) what = "codexgw's secrets file (--secrets-file keeps the values there already)";
  else if (real.endsWith('.toml') || (codexHome && same(userConfigPath(codexHome))))
    what = 'a TOML file, such as a Codex config file';
  if (what === undefined) return;
  throw new UsageError(
    `${rcFile} is ${what}, not a shell rc file; codexgw will not write a shell block into it.`,
    {
      hint: 'Pass --rc-file the shell start-up file that should load the key (e.g. ~/.bashrc), or leave it out for the default.',
    },
  );
}

function sameInode(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.ino === sb.ino && sa.dev === sb.dev;
  } catch {
    return false; // one of them does not exist
  }
}

function codexHomeDir(ctx: Pick<Context, 'env' | 'cwd'>): string | undefined {
  try {
    return resolveCodexHome(ctx.env, ctx.cwd).dir;
  } catch {
    return undefined; // a missing CODEX_HOME is reported where it is needed
  }
}

/** A file read for editing: its exact text (a BOM kept as U+FEFF) and its managed block. */
export interface FileState {
  file: string;
  exists: boolean;
  text: string;
  scan: RcScan;
}

export interface ManagedVar {
  name: string;
  value: string;
  /** The file and 1-based line of the export line. */
  file: string;
  line: number;
}

export interface EnvState {
  target: EnvTarget;
  rc: FileState;
  /** The secrets file the rc block sources, when it sources one. */
  secrets: FileState | undefined;
  /** Every variable the managed block exports, directly or through the secrets file. */
  vars: ManagedVar[];
  /** Files the shell runs after the rc file (fish: config.fish after conf.d/), for conflicts. */
  later: { file: string; lines: Line[] }[];
}

/** Read a file for editing (strict UTF-8, BOM kept); a missing file is empty. */
export function readFileState(file: string, syntax: Syntax): FileState {
  const text = readTextFile(file);
  return { file, exists: text !== undefined, text: text ?? '', scan: scanRc(text ?? '', syntax, file) };
}

/**
 * Read the rc file, its managed block and the secrets file the block sources. Throws a
 * FileError for an unreadable file or a block that was edited by hand (with line numbers).
 */
export function readEnvState(target: EnvTarget): EnvState {
  const rc = readFileState(target.rcFile, target.syntax);
  const source = rc.scan.block?.source;
  const secrets = source ? readFileState(source.file, target.syntax) : undefined;
  return buildEnvState(target, rc, secrets, laterFiles(target));
}

/** The state for given file contents: what `readEnvState` returns, and what a plan would leave. */
export function buildEnvState(
  target: EnvTarget,
  rc: FileState,
  secrets: FileState | undefined,
  later: EnvState['later'] = [],
): EnvState {
  const vars: ManagedVar[] = [];
  for (const v of secrets?.scan.block?.vars ?? []) vars.push({ ...v, file: secrets!.file });
  // Exports in the rc block run after its source line, so they win over the secrets file.
  for (const v of rc.scan.block?.vars ?? []) {
    const i = vars.findIndex((w) => w.name === v.name);
    if (i >= 0) vars.splice(i, 1);
    vars.push({ ...v, file: rc.file });
  }
  // Every value in a codexgw block is a key: the output boundary masks it, old or new.
  for (const v of vars) {
    registerSecret(v.value);
    registerSecretEnvName(v.name);
  }
  return { target, rc, secrets, vars, later };
}

/** A FileState for a text (a planned result), scanned like a file read from disk. */
export function fileStateOf(file: string, text: string, syntax: Syntax): FileState {
  return { file, exists: true, text, scan: scanRc(text, syntax, file) };
}

function laterFiles(target: EnvTarget): EnvState['later'] {
  if (target.shell !== 'fish' || path.basename(path.dirname(target.rcFile)) !== 'conf.d') return [];
  const file = path.join(path.dirname(path.dirname(target.rcFile)), 'config.fish');
  try {
    const text = readTextFile(file);
    return text === undefined ? [] : [{ file, lines: splitLines(text) }];
  } catch {
    // Only used to warn about a conflict; an unreadable config.fish is not codexgw's to report.
    return [];
  }
}

export function findManagedVar(state: EnvState, name: string): ManagedVar | undefined {
  return state.vars.find((v) => v.name === name);
}

/** The same variable assigned outside the managed block. */
export interface Conflict {
  name: string;
  file: string;
  line: number;
  /** Its literal value, or undefined when the shell computes it. */
  value: string | undefined;
  /** Whether it equals the managed value (undefined when that cannot be told). */
  same: boolean | undefined;
  /** Which assignment the shell ends up with: the later one to run. */
  winner: 'block' | 'other';
}

/**
 * Assignments of managed variables outside the block. In every supported shell the later
 * assignment to run wins; for a line in the rc file that is the later line (assuming both run:
 * codexgw does not follow `if`s). fish sources conf.d/ before config.fish, so an assignment
 * in config.fish wins over codexgw's conf.d file.
 */
export function findConflicts(state: EnvState, names?: readonly string[]): Conflict[] {
  const { rc, target } = state;
  const block = rc.scan.block;
  if (!block) return [];
  const wanted = state.vars.filter((v) => !names || names.includes(v.name));
  const out: Conflict[] = [];
  const lineInRc = (v: ManagedVar) => (v.file === rc.file ? v.line : block.source!.line);
  const consider = (file: string, lines: readonly Line[], later: boolean, skip?: [number, number]) => {
    for (const a of findAssignments(lines, target.syntax)) {
      if (skip && a.line >= skip[0] && a.line <= skip[1]) continue;
      const v = wanted.find((w) => w.name === a.name);
      if (!v) continue;
      out.push({
        name: a.name,
        file,
        line: a.line,
        value: a.value,
        same: a.value === undefined ? undefined : a.value === v.value,
        winner: later || a.line > lineInRc(v) ? 'other' : 'block',
      });
    }
  };
  consider(rc.file, rc.scan.lines, false, [block.startLine, block.endLine]);
  for (const f of state.later) consider(f.file, f.lines, true);
  return out;
}
