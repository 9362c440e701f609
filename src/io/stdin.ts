import { isUtf8 } from 'node:buffer';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';

/**
 * All of stdin as one secret value (keys come from stdin, never argv, which `ps` and the shell
 * history show): strict UTF-8, one trailing "\n" or "\r\n" removed, as `echo` and here-strings
 * add it. `what` names the value in the error ("the key", "the value for PORTKEY_API_KEY");
 * `example` is the command line that shows how to pipe it.
 */
export async function readStdinSecret(ctx: Context, what: string, example: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const bytes = Buffer.concat(chunks);
  if (!isUtf8(bytes)) {
    throw new UsageError(`${what[0]!.toUpperCase()}${what.slice(1)} on stdin is not valid UTF-8 text.`, {
      hint: `Pipe it as plain text, e.g. ${example}`,
    });
  }
  // A leading BOM (PowerShell pipes one) is not part of the value.
  return bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r?\n$/, '');
}
