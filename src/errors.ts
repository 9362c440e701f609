/**
 * The error vocabulary of codexgw. Every user-facing failure is one of these; the single sink in
 * `cli.ts` prints it as one paragraph (what, where, how to fix) and exits with its code. A stack
 * trace is printed only under `--debug`.
 */

/** Documented exit codes (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** The command ran and found a problem: validation errors, doctor errors, an unset key, an unknown id; or "no" at a confirmation (nothing written). */
  failure: 1,
  /** The command line was wrong: unknown flag, missing argument, bad flag value. */
  usage: 2,
  /** A file could not be read, parsed or written, or CODEX_HOME is missing. Nothing was written. */
  io: 3,
  /** A bug in codexgw (an edit failed its own check, an unexpected exception). Nothing was written. */
  internal: 4,
  /** Cancelled by the user (Ctrl-C). Nothing was written. */
  cancelled: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface Location {
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
}

export interface ErrorDetails extends Location {
  /** How to fix it, as a sentence or a command. */
  hint?: string | undefined;
  cause?: unknown;
}

export class CodexgwError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(message: string, exitCode: ExitCode, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = details.hint;
    this.file = details.file;
    this.line = details.line;
    this.column = details.column;
  }

  /** The same error with another fix sentence. */
  withHint(hint: string): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(copy, this, { hint, message: this.message, stack: this.stack });
    return copy;
  }
}

/** The command failed for a reason the user can fix (exit 1). */
export class UserError extends CodexgwError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, EXIT.failure, details);
  }
}

/** The command line itself is wrong (exit 2). */
export class UsageError extends CodexgwError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, EXIT.usage, details);
  }
}

/** A file could not be read, parsed or written (exit 3). */
export class FileError extends CodexgwError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, EXIT.io, details);
  }
}

/** A bug: codexgw refused to continue to protect the user's files (exit 4). */
export class InternalError extends CodexgwError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, EXIT.internal, {
      hint: 'This is a bug in codexgw. Nothing was written. Please report it with the output of --debug.',
      ...details,
    });
  }
}

/** The user cancelled (Ctrl-C at a prompt, or "no" to the final confirmation when that aborts). */
export class CancelledError extends CodexgwError {
  constructor(message = 'Cancelled. Nothing was written.') {
    super(message, EXIT.cancelled);
  }
}

/** The problem has already been reported on the output; just exit with this code. */
export class ExitError extends CodexgwError {
  constructor(exitCode: ExitCode) {
    super(`exit ${exitCode}`, exitCode);
  }
}

export function formatLocation(loc: Location): string | undefined {
  if (!loc.file) return undefined;
  if (loc.line === undefined) return loc.file;
  return loc.column === undefined ? `${loc.file}:${loc.line}` : `${loc.file}:${loc.line}:${loc.column}`;
}

/** Turn a Node system error (ENOENT, EACCES, EISDIR, ENOSPC, …) on `file` into a FileError. */
export function fileErrorFrom(
  err: unknown,
  file: string,
  doing: 'read' | 'write' | 'create' | 'lock',
): FileError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, [string, string]> = {
    ENOENT: ['it does not exist', 'Check the path.'],
    EACCES: ['permission denied', `Check the permissions of ${file} and its directory (ls -l).`],
    EPERM: ['operation not permitted', `Check the permissions of ${file} and its directory (ls -l).`],
    EISDIR: [
      'it is a directory, not a file',
      `Remove or rename the directory ${file}, or point codexgw at a file.`,
    ],
    ENOTDIR: ['a parent of it is not a directory', 'Check each part of the path.'],
    ENOSPC: ['the disk is full', 'Free some space and run the command again.'],
    EROFS: ['the file system is read-only', 'Run codexgw where the file can be written.'],
    EDQUOT: ['the disk quota is exceeded', 'Free some space and run the command again.'],
  };
  const [why, hint] = (code && reasons[code]) || [
    (err as Error | undefined)?.message ?? String(err),
    'Check the file and run the command again.',
  ];
  return new FileError(`Could not ${doing} ${file}: ${why}.`, { file, hint, cause: err });
}
