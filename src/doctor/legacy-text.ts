import { formatKeyPath } from '../config/toml-format.ts';
import { hasPrefix, TomlLayout } from '../config/toml-layout.ts';

/**
 * The text of a legacy `[profiles.<name>]` table (and its sub-tables) as a profile file would
 * hold it: the header of the table itself dropped, `[profiles.<name>.x]` headers rewritten to
 * `[x]`, and every other line — comments inside the tables and above their headers, blank lines,
 * quoting, alignment — kept as it is. Undefined when the table has no header of its own (it is
 * made of dotted keys or an inline table): the caller then moves the values instead.
 *
 * The caller proves the result: it must parse to the table's value, else it is not used.
 */
export function legacyTableText(text: string, file: string, name: string): string | undefined {
  const layout = new TomlLayout(text, file);
  const base = ['profiles', name];
  const sections = layout.sections.filter((s) => s.kind !== 'root' && hasPrefix(s.path, base));
  if (sections.length === 0 || sections[0]!.path.length !== base.length) return undefined;
  const { lines } = layout;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let out = '';
  let previousEnd = -1;
  for (const s of sections) {
    const table = s.table!;
    if (previousEnd >= 0 && s.leadStart > previousEnd + 1 && out !== '') out += eol;
    for (let l = s.leadStart; l <= s.ownedEnd; l++) {
      let line = text.slice(lines.start(l), lines.end(l));
      if (l === s.headerLine) {
        const rel = table.keys.slice(base.length);
        const before = text.slice(lines.start(l), table.range[0]);
        const after = text.slice(table.range[1], lines.end(l));
        if (rel.length === 0) {
          // The table's own header goes; a comment after it stays, on a line of its own.
          const comment = after.trim();
          if (comment === '') continue;
          line = `${comment}${eol}`;
        } else {
          const header = table.kind === 'array' ? `[[${formatKeyPath(rel)}]]` : `[${formatKeyPath(rel)}]`;
          line = `${before}${header}${after}`;
        }
      }
      if (out === '' && line.trim() === '') continue;
      out += line;
    }
    if (!out.endsWith('\n') && out !== '') out += eol;
    previousEnd = s.ownedEnd;
  }
  return out;
}
