/** A line of a text file and the terminator that followed it (empty for an unterminated last line). */
export interface Line {
  text: string;
  eol: '' | '\n' | '\r\n';
}

/**
 * Split text into lines, keeping each terminator so that `joinLines(splitLines(t)) === t` for
 * every t: mixed CRLF/LF files and a missing final newline survive untouched.
 */
export function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      out.push({ text: text.slice(start), eol: '' });
      break;
    }
    const crlf = nl > start && text[nl - 1] === '\r';
    out.push({ text: text.slice(start, crlf ? nl - 1 : nl), eol: crlf ? '\r\n' : '\n' });
    start = nl + 1;
  }
  return out;
}

export function joinLines(lines: readonly Line[]): string {
  let out = '';
  for (const l of lines) out += l.text + l.eol;
  return out;
}

/** The file's line ending, taken from its first terminated line; LF for a new or one-line file. */
export function detectEol(lines: readonly Line[]): '\n' | '\r\n' {
  for (const l of lines) if (l.eol !== '') return l.eol;
  return '\n';
}

/** Lines with `texts` appended as new lines ending in `eol`; an unterminated last line gets `eol` first. */
export function appendLines(lines: readonly Line[], texts: readonly string[], eol: '\n' | '\r\n'): Line[] {
  const out = lines.slice();
  const last = out[out.length - 1];
  if (last && last.eol === '') out[out.length - 1] = { ...last, eol };
  for (const text of texts) out.push({ text, eol });
  return out;
}
