import { maskSecret } from '../io/mask.ts';
import { assignmentLike, parseAssignment } from './assignments.ts';
import { joinLines, splitLines } from './lines.ts';
import type { Syntax } from './quote.ts';

/**
 * The text with the value of every assignment it can find replaced by its mask: what a diff of
 * an rc file may show. A user's own lines near the block (which a diff shows as context) are
 * masked too; a value the shell would compute, or a form codexgw does not read, becomes `…`.
 */
export function maskAssignments(text: string, syntax: Syntax): string {
  const lines = splitLines(text).map((l) => {
    const a = parseAssignment(syntax, l.text);
    if (a) return { ...l, text: `${a.prefix}${a.value === undefined ? '…' : maskSecret(a.value)}` };
    const like = assignmentLike(syntax, l.text);
    return like && like.rest !== '' ? { ...l, text: `${like.prefix}…` } : l;
  });
  return joinLines(lines);
}
