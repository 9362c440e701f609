import { parse } from 'smol-toml';
import type { TomlTable } from './source.ts';
import { isTomlTable, tomlValueEquals } from './toml-format.ts';

/**
 * The value of `newText`, an edit of the top-level key `key` in the root section of `oldText` (the
 * lines before its first header, which starts at `end`), from parsing only the two root sections
 * instead of the whole text: `use` on a 6,500-line config then re-parses a few lines to check its
 * edit, not all of them. `oldValue` is `oldText` parsed (integers as smol-toml's 'asNeeded').
 *
 * Why that is the value a whole parse would give. The text from `end` on (S) is the same in both;
 * it starts with a header, and the root section before it ends a line, so S is read the same way
 * after either section. S can only change the top-level keys its headers name, and a header that
 * names a key the old root section defines either is an error (that key is a value, an inline or
 * a dotted table) or adds to that key's table. So when `key` is a non-table value of the old root
 * section, or absent from `oldValue`, and every table of the old root section has its whole value
 * there, S touches no key of either section, and its keys keep their old values.
 *
 * Every one of those conditions is checked, and so is that the new root section parses on its own
 * and agrees with the old one on every key but `key`. Undefined when anything does not hold: the
 * caller then parses the whole text.
 */
export function reparseRootEdit(
  oldText: string,
  newText: string,
  end: number,
  key: string,
  oldValue: TomlTable,
): TomlTable | undefined {
  const rest = oldText.slice(end);
  const newEnd = newText.length - rest.length;
  if (end < 0 || newEnd < 0 || !startsWithHeader(rest) || newText.slice(newEnd) !== rest) return undefined;
  const oldRoot = oldText.slice(0, end);
  const newRoot = newText.slice(0, newEnd);
  if (!endsLine(oldRoot) || !endsLine(newRoot)) return undefined;

  let before: TomlTable;
  let after: TomlTable;
  try {
    before = parse(oldRoot, { integersAsBigInt: 'asNeeded' }) as TomlTable;
    after = parse(newRoot, { integersAsBigInt: 'asNeeded' }) as TomlTable;
  } catch {
    return undefined;
  }
  if (Object.hasOwn(before, key) ? isTomlTable(before[key]) : Object.hasOwn(oldValue, key)) return undefined;
  for (const k of Object.keys(before)) {
    if (k === key) continue;
    if (!Object.hasOwn(after, k) || !tomlValueEquals(before[k], after[k])) return undefined;
    if (isTomlTable(before[k]) && !tomlValueEquals(before[k], oldValue[k])) return undefined;
  }

  // In the order a whole parse gives: the root section's keys, then the ones the headers add.
  const value = Object.create(null) as TomlTable;
  for (const k of Object.keys(after)) {
    if (k !== key && !Object.hasOwn(before, k)) return undefined;
    value[k] = k === key ? after[k] : oldValue[k];
  }
  for (const k of Object.keys(oldValue)) {
    if (k !== key && !Object.hasOwn(value, k)) value[k] = oldValue[k];
  }
  return value;
}

/** A header line: `[table]` or `[[array]]`, after optional indentation. */
function startsWithHeader(text: string): boolean {
  let i = 0;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return text[i] === '[';
}

/** Empty, or ends with a line break. */
function endsLine(text: string): boolean {
  return text === '' || text.endsWith('\n');
}
