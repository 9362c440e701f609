import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { KeyProcess } from './keychain.ts';

export interface ProcessResult {
  /** Undefined when it could not start or was killed. */
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Why it could not start (ENOENT, EACCES). */
  spawnError: string | undefined;
}

/** How long a store may take to answer; an unlock or access prompt nobody answers ends here. */
export const STORE_TIMEOUT_MS = 10_000;

/**
 * Run one backend process: the input (the secret, for a write) on stdin, output captured, killed
 * after `timeoutMs`. Only `env` is passed on (the session bus address lives there).
 */
export function runProcess(
  proc: KeyProcess,
  env: NodeJS.ProcessEnv,
  timeoutMs = STORE_TIMEOUT_MS,
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const finish = (r: Omit<ProcessResult, 'stdout' | 'stderr' | 'timedOut'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, stdout, stderr, timedOut });
    };
    const child = spawn(proc.file, proc.args, { env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    child.once('error', (err) => finish({ exitCode: undefined, spawnError: err.message }));
    child.once('close', (code) => finish({ exitCode: code ?? undefined, spawnError: undefined }));
    child.stdin.on('error', () => undefined); // EPIPE when it exits without reading
    child.stdin.end(proc.input ?? '');
  });
}

/** The absolute path of an executable: the first of `preferred` that exists, else the first on PATH. */
export function findExecutable(
  name: string,
  preferred: readonly string[],
  env: NodeJS.ProcessEnv,
): string | undefined {
  const candidates = [
    ...preferred,
    ...(env.PATH ?? env.Path ?? '')
      .split(path.delimiter)
      .filter((d) => path.isAbsolute(d))
      .map((d) => path.join(d, name)),
  ];
  return candidates.find(isExecutable);
}

/** A regular file this process may execute. */
export function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
