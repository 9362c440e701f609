import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stdioWriter, writeAll } from '../../src/io/stdio.ts';
import { makeTempDir } from '../helpers/tmp.ts';

/** Both ends of a real FIFO, non-blocking, so a full pipe answers EAGAIN instead of waiting. */
function fifo(): { read: number; write: number } {
  const file = path.join(makeTempDir(), 'fifo');
  execFileSync('mkfifo', [file]);
  const read = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  const write = openSync(file, constants.O_WRONLY | constants.O_NONBLOCK);
  return { read, write };
}

describe('stdio writers', () => {
  it('writes to a file with writeSync, and says it is not a terminal', () => {
    const file = path.join(makeTempDir(), 'out.txt');
    const fd = openSync(file, 'w');
    const w = stdioWriter(fd, () => {
      throw new Error('a file must not need the process stream');
    });
    expect(w.isTTY).toBe(false);
    w.write('héllo\n');
    w.write('');
    w.write('world\n');
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe('héllo\nworld\n');
  });

  it('knows /dev/null is not a terminal', () => {
    const fd = openSync('/dev/null', 'w');
    const w = stdioWriter(fd, () => {
      throw new Error('/dev/null must not need the process stream');
    });
    expect(w.isTTY).toBe(false);
    w.write('dropped\n');
    closeSync(fd);
  });

  it('waits out a full non-blocking pipe (EAGAIN) and delivers every byte in order', () => {
    const { read, write } = fifo();
    const sent = Buffer.alloc(1 << 20);
    for (let i = 0; i < sent.length; i++) sent[i] = i % 251;
    const received: Buffer[] = [];
    let waits = 0;
    const drain = () => {
      waits++;
      const chunk = Buffer.alloc(1 << 16);
      const n = readSync(read, chunk);
      received.push(chunk.subarray(0, n));
    };
    expect(writeAll(write, sent, drain)).toBe(true);
    closeSync(write);
    for (;;) {
      const chunk = Buffer.alloc(1 << 16);
      const n = readSync(read, chunk);
      if (n === 0) break;
      received.push(chunk.subarray(0, n));
    }
    closeSync(read);
    // 1 MiB cannot fit a 64 KiB pipe: the writer must have met EAGAIN and waited.
    expect(waits).toBeGreaterThan(0);
    expect(Buffer.concat(received).equals(sent)).toBe(true);
  });

  it('stops quietly when the reader has gone (EPIPE), and writes nothing more', () => {
    const { read, write } = fifo();
    closeSync(read);
    expect(writeAll(write, Buffer.from('lost\n'))).toBe(false);
    const w = stdioWriter(write, () => process.stdout);
    expect(() => {
      w.write('first\n');
      w.write('second\n');
    }).not.toThrow();
    closeSync(write);
  });
});
