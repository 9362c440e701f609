import { parse } from 'smol-toml';
import { UsageError } from '../errors.ts';
import { copyTable, emptyTable, MAX_NESTING, type TomlTable } from './source.ts';
import { isTomlTable as isTable } from './toml-format.ts';

export interface Override {
  /** The text as given, for messages. */
  raw: string;
  path: string[];
  value: unknown;
}

/**
 * Parse `-c key=value` exactly as Codex does: split at the first `=`, trim both halves, split the
 * key on every `.` (quotes are not understood), and read the value as a TOML value — falling back
 * to a plain string with surrounding quotes trimmed when it does not parse.
 */
export function parseOverride(raw: string): Override {
  const eq = raw.indexOf('=');
  if (eq < 0) {
    throw new UsageError(`Invalid -c override "${raw}": it has no "=".`, {
      hint: 'Write -c key=value, e.g. -c model=o3 or -c \'model_providers.x.http_headers={ "X-A" = "1" }\'.',
    });
  }
  const key = raw.slice(0, eq).trim();
  const text = raw.slice(eq + 1).trim();
  if (key === '') {
    throw new UsageError(`Invalid -c override "${raw}": the key is empty.`, { hint: 'Write -c key=value.' });
  }
  const path = key.split('.');
  if (path.length > MAX_NESTING) {
    throw new UsageError(
      `Invalid -c override: its key has ${path.length} dotted parts, more than the ${MAX_NESTING} Codex accepts.`,
      {
        hint: 'Check the key of the -c override.',
      },
    );
  }
  return { raw, path, value: parseOverrideValue(text) };
}

function parseOverrideValue(text: string): unknown {
  try {
    return (parse(`_x_ = ${text}`, { integersAsBigInt: true, maxDepth: MAX_NESTING }) as TomlTable)._x_;
  } catch {
    return text.replace(/^["']|["']$/g, '');
  }
}

/** Build the table a list of overrides forms; later overrides win, tables merge. */
export function overridesToTable(overrides: readonly Override[]): TomlTable {
  const root = emptyTable();
  for (const o of overrides) {
    let table = root;
    o.path.forEach((seg, i) => {
      if (i === o.path.length - 1) {
        const prev = table[seg];
        table[seg] = isTable(prev) && isTable(o.value) ? mergeTables(prev, o.value) : o.value;
        return;
      }
      const next = table[seg];
      if (!isTable(next)) table[seg] = emptyTable();
      table = table[seg] as TomlTable;
    });
  }
  return root;
}

/** A TOML table (a plain object: not an array or a date); the editor's definition. */
export { isTable };

function mergeTables(a: TomlTable, b: TomlTable): TomlTable {
  const out = copyTable(a);
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isTable(prev) && isTable(v) ? mergeTables(prev, v) : v;
  }
  return out;
}
