// stdout and stderr for the CLI. Touching process.stdout builds a stream over a pipe or file, which
// loads net and the whole stream stack (~3 ms of every start); a command that only prints text
// does not need it. Output that is not a terminal is written with fs.writeSync instead, and a
// reader that went away (`codexgw config show | head`) ends the output quietly, not with EPIPE.
import { fstatSync, statSync, writeSync } from 'node:fs';
import type { Writer } from '../context.ts';

export interface StdioWriter extends Writer {
  isTTY: boolean;
}

/** The writer for fd 1 or 2; `stream` gives the process stream, used only for a terminal. */
export function stdioWriter(fd: number, stream: () => NodeJS.WriteStream): StdioWriter {
  if (isTerminal(fd)) {
    return { write: (text) => void stream().write(text), isTTY: true };
  }
  let closed = false;
  return {
    isTTY: false,
    write(text: string) {
      if (closed || text === '') return;
      closed = !writeAll(fd, Buffer.from(text, 'utf8'));
    },
  };
}

/**
 * fstat answers for pipes, files and sockets, and for /dev/null (`>/dev/null` in cron jobs and
 * scripts); only another character device needs tty.isatty.
 */
function isTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev === devNullRdev()) return false;
  } catch {
    return false;
  }
  // Loaded here, not imported: node:tty loads net, the cost this module avoids.
  return process.getBuiltinModule('node:tty').isatty(fd);
}

function devNullRdev(): number | undefined {
  try {
    return statSync('/dev/null').rdev;
  } catch {
    return undefined; // Windows
  }
}

/** Write every byte; false when the other end is gone (EPIPE) or the fd is unusable. */
export function writeAll(fd: number, bytes: Uint8Array, wait = sleep): boolean {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (err) {
      // A non-blocking pipe that is full: wait for the reader, as a blocking write would.
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        wait(1);
        continue;
      }
      return false;
    }
  }
  return true;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
