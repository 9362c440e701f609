import { maskSecret } from '../io/redact.ts';
import { assignmentLike, parseAssignment } from './assignments.ts';
import { joinLines, splitLines } from './lines.ts';
import type { Syntax } from './quote.ts';

/** Something shaped like an API key: a long run of key characters with letters and digits. */
const KEY_LIKE = /[A-Za-z0-9_-]{20,}/g;

/**
 * The text with every value it can find replaced by its mask: what a diff of an rc file may show.
 * The user's own lines near the block (which a diff shows as context) are masked too, read in
 * every syntax (fish also accepts `export K=v`): an assignment's value, or `…` for a value the
 * shell computes or a form codexgw does not read; in any other line, key-shaped tokens.
 */
export function maskAssignments(text: string, syntax: Syntax): string {
  const order: Syntax[] = [syntax, ...(['sh', 'fish', 'pwsh'] as const).filter((s) => s !== syntax)];
  const lines = splitLines(text).map((l) => ({ ...l, text: maskLine(l.text, order) }));
  return joinLines(lines);
}

function maskLine(text: string, order: readonly Syntax[]): string {
  for (const s of order) {
    const a = parseAssignment(s, text);
    if (a) return `${a.prefix}${a.value === undefined ? '…' : maskSecret(a.value)}`;
  }
  for (const s of order) {
    const like = assignmentLike(s, text);
    if (like && like.rest !== '') return `${like.prefix}…`;
  }
  return text.replace(KEY_LIKE, (t) => (/[0-9]/.test(t) && /[A-Za-z]/.test(t) ? maskSecret(t) : t));
}
