import { maskSecret } from '../io/redact.ts';
import { END_MARKER, START_MARKER } from '../shell/block.ts';
import type { Syntax } from '../shell/quote.ts';
import type { AuthCommand } from './keychain.ts';

/**
 * Backups of rc and secrets files taken by `key migrate` (and older ones from `env set`) hold
 * the keys that moved to the store. They are rewritten so that no backup holds a key and
 * `codexgw restore` still undoes the move: each export of a moved key becomes an export that
 * reads the key from the store, outside codexgw's block (which keeps only lines codexgw can
 * read back), and any other occurrence of the key is masked.
 */

export interface MovedKey {
  varName: string;
  secret: string;
  /** The command that prints the key from its new store. */
  auth: AuthCommand;
}

function shWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** An export of `name` whose value is the output of `auth`, in the file's shell syntax. */
export function lookupExport(syntax: Syntax, name: string, auth: AuthCommand): string {
  const words = [auth.command, ...auth.args];
  switch (syntax) {
    case 'sh':
      return `export ${name}="$(${words.map(shWord).join(' ')})"`;
    case 'fish':
      return `set -gx ${name} (${words.map(shWord).join(' ')})`;
    case 'pwsh':
      return `$env:${name} = (& ${words.map((w) => `'${w.replace(/'/g, "''")}'`).join(' ')})`;
  }
}

/** The syntax of a file codexgw writes exports to, from its name. */
export function syntaxOfFile(file: string): Syntax {
  if (file.endsWith('.fish')) return 'fish';
  if (file.endsWith('.ps1')) return 'pwsh';
  return 'sh';
}

/** Whether `line` assigns variable `name` (an export in the file's syntax). */
export function assignsVar(syntax: Syntax, line: string, name: string): boolean {
  const t = line.trim();
  switch (syntax) {
    case 'sh':
      return t.startsWith(`export ${name}=`) || t.startsWith(`${name}=`);
    case 'fish':
      return new RegExp(`^set\\s+(-\\w+\\s+)*${name}\\s`).test(t);
    case 'pwsh':
      return t.startsWith(`$env:${name}`);
  }
}

/** `text` with every moved key taken out (see above); unchanged when it holds none. */
export function redactKeys(text: string, syntax: Syntax, moved: readonly MovedKey[]): string {
  if (!moved.some((m) => text.includes(m.secret))) return text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  const afterBlock: string[] = [];
  let inBlock = false;
  let sawEnd = false;
  for (const line of lines) {
    if (line.trim() === START_MARKER) inBlock = true;
    const key = moved.find((m) => line.includes(m.secret) && assignsVar(syntax, line, m.varName));
    if (key) {
      const replacement = `${lookupExport(syntax, key.varName, key.auth)} # the key is in codexgw's store now`;
      if (inBlock) afterBlock.push(replacement);
      else out.push(replacement);
    } else {
      out.push(line);
    }
    if (line.trim() === END_MARKER && inBlock) {
      inBlock = false;
      sawEnd = true;
      out.push(...afterBlock.splice(0));
    }
  }
  if (!sawEnd) out.push(...afterBlock);
  let result = out.join(eol);
  for (const m of moved) result = result.split(m.secret).join(maskSecret(m.secret));
  return result;
}
