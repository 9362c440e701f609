import { chmodSync, lstatSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { onTestFinished } from 'vitest';
import type { Context, Writer } from '../../src/context.ts';
import { makePalette } from '../../src/io/colors.ts';
import { withRedaction } from '../../src/io/redact.ts';

/** Directories made outside a test (module level, beforeAll): removed after the test file. */
const created: string[] = [];

/**
 * A fresh directory under the OS temp dir (symlinks resolved, so paths compare equal to what
 * Codex and codexgw print). Made inside a test, it is removed when that test finishes; made in a
 * hook or at module level, when the test file finishes (test/helpers/setup.ts).
 */
export function makeTempDir(prefix = 'codexgw-test-'): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  try {
    onTestFinished(() => removeTempDir(dir));
  } catch {
    created.push(dir); // not inside a test: vitest refuses the hook
  }
  return dir;
}

/** Remove every directory made outside a test so far. */
export function cleanupTempDirs(): void {
  for (const dir of created.splice(0)) removeTempDir(dir);
}

/** rm -rf, also through folders a test made read-only (permission tests do). */
export function removeTempDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    makeWritable(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

function makeWritable(dir: string): void {
  try {
    if (!lstatSync(dir).isDirectory()) return; // never follow a symlink out of the temp dir
    chmodSync(dir, 0o700);
    for (const name of readdirSync(dir)) makeWritable(path.join(dir, name));
  } catch {
    // Gone already: nothing to do.
  }
}

// A worker that ends without running afterAll (a crash) still tries.
process.once('exit', cleanupTempDirs);

export interface CapturedWriter extends Writer {
  text(): string;
}

function capture(isTTY = false): CapturedWriter {
  let buf = '';
  return {
    write(s: string) {
      buf += s;
    },
    isTTY,
    text: () => buf,
  };
}

export interface CaptureOptions {
  cwd?: string;
  /** The whole environment the command sees (nothing is inherited from process.env). */
  env?: NodeJS.ProcessEnv;
  /** Text (or bytes) on stdin (default: empty, not a TTY). */
  stdin?: string | Buffer;
  interactive?: boolean;
  debug?: boolean;
  now?: () => Date;
}

export interface Captured {
  ctx: Context;
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
}

/**
 * A Context for running a command in-process: no colour, captured stdout/stderr, and an
 * environment that is only what the test passes (so the real HOME or keys never leak in).
 */
export function captureContext(opts: CaptureOptions = {}): Captured {
  const stdout = capture();
  const stderr = capture();
  const stdin = Readable.from(opts.stdin === undefined ? [] : [opts.stdin]) as NodeJS.ReadableStream & {
    isTTY?: boolean;
  };
  // Behind the same redaction boundary as the real process (main applies it too: idempotent).
  const ctx: Context = withRedaction({
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? {},
    stdout,
    stderr,
    stdin,
    color: makePalette(0),
    errColor: makePalette(0),
    debug: opts.debug ?? false,
    interactive: opts.interactive ?? false,
    now: opts.now ?? (() => new Date('2026-01-02T03:04:05Z')),
  });
  return { ctx, out: stdout.text, err: stderr.text };
}
