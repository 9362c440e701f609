/**
 * The built CLI in a real pseudo-terminal, for driving interactive prompts the way a person does:
 * wait (bounded) for a prompt's text, then type. Output is kept with escape sequences removed.
 */
import { stripVTControlCharacters } from 'node:util';
import pty from '@lydell/node-pty';
import { BIN, NODE } from './run-cli.ts';
import { isQuickRun, notInQuickRun } from './tools.ts';

export const KEYS = {
  enter: '\r',
  down: '\u001b[B',
  up: '\u001b[A',
  ctrlC: '\u0003',
  /** Delete the whole line left of the cursor (readline). */
  ctrlU: '\u0015',
} as const;

export interface PtyRun {
  /** All output so far, escape sequences removed. */
  output(): string;
  /**
   * Wait until `text` appears after the previous match (so a re-rendered old prompt does not
   * count), polling every 20 ms for at most `timeoutMs`.
   */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Type text (as keystrokes into the terminal). */
  type(text: string): void;
  exit: Promise<{ exitCode: number; signal: number | undefined }>;
  kill(): void;
}

export function spawnCliInPty(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): PtyRun {
  if (isQuickRun()) throw notInQuickRun('A pseudo-terminal');
  const child = pty.spawn(NODE, [BIN, ...args], {
    name: 'xterm-256color',
    cols: 160,
    rows: 50,
    cwd: opts.cwd,
    env: opts.env as Record<string, string>,
  });
  let raw = '';
  let cursor = 0;
  child.onData((d) => {
    raw += d;
  });
  const exit = new Promise<{ exitCode: number; signal: number | undefined }>((resolve) => {
    child.onExit((e) => resolve({ exitCode: e.exitCode, signal: e.signal }));
  });
  let exited = false;
  void exit.then(() => {
    exited = true;
  });
  const output = () => stripVTControlCharacters(raw);
  return {
    output,
    async waitFor(text, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const out = output();
        const rest = out.slice(cursor);
        const at = typeof text === 'string' ? rest.indexOf(text) : rest.search(text);
        if (at >= 0) {
          const len = typeof text === 'string' ? text.length : (rest.slice(at).match(text)?.[0].length ?? 0);
          cursor += at + len;
          return;
        }
        if (exited || Date.now() > deadline) {
          throw new Error(
            `${exited ? 'The CLI exited' : `Timed out after ${timeoutMs} ms`} waiting for ${String(text)}. Output since the last match:\n${rest.slice(-3000)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    type(text) {
      child.write(text);
    },
    exit,
    kill() {
      if (!exited) child.kill('SIGKILL');
    },
  };
}
