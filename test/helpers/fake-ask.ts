/**
 * An `Ask` that answers by message text, for testing wizard steps without a terminal. Each key is
 * matched as a substring of the question's message (first matching key wins, in insertion order).
 * A list of answers is used one per asking; an answer the question's validate refuses is recorded
 * in `refused` and the next one is taken, as a user would type again after the error message.
 *
 * - select: the value to pick (must be one of the choices);
 * - search: the text typed, and the first choice offered for it is picked; "=text" picks the
 *   choice whose value is exactly the text (arrowing down to it);
 * - input / secret: the text typed ('' takes the default, as Enter does);
 * - confirm: true / false.
 */
import type { Ask, Choice, SearchQuestion, SelectQuestion } from '../../src/io/prompts.ts';

export type FakeAnswer = string | boolean;

export interface AskedQuestion {
  kind: 'select' | 'search' | 'input' | 'secret' | 'confirm';
  message: string;
  flag: string;
  default?: unknown;
  choices?: Choice<unknown>[];
}

export interface FakeAsk extends Ask {
  asked: AskedQuestion[];
  /** Validation messages shown for refused answers. */
  refused: string[];
  said: string[];
}

export class UnexpectedQuestion extends Error {}

/** The error @inquirer/prompts throws on Ctrl-C (the CLI turns it into exit 130). */
export class ExitPromptError extends Error {
  override name = 'ExitPromptError';
}

/** An answer that presses Ctrl-C at that question. */
export const CTRL_C = '\u0003';

export function fakeAsk(answers: Record<string, FakeAnswer | FakeAnswer[]>): FakeAsk {
  // A list is used up one answer per asking; a single answer answers every asking.
  const entries = Object.entries(answers).map(([key, v]) => ({
    key,
    reusable: !Array.isArray(v),
    queue: Array.isArray(v) ? [...v] : [v],
  }));
  const asked: AskedQuestion[] = [];
  const refused: string[] = [];
  const said: string[] = [];

  const next = (q: AskedQuestion): { answer: FakeAnswer; reusable: boolean } => {
    asked.push(q);
    const entry = entries.find((e) => q.message.includes(e.key));
    if (!entry) throw new UnexpectedQuestion(`Unexpected question: ${q.message}`);
    const answer = entry.reusable ? entry.queue[0] : entry.queue.shift();
    if (answer === undefined) throw new UnexpectedQuestion(`No answer left for "${entry.key}": ${q.message}`);
    if (answer === CTRL_C) throw new ExitPromptError('User force closed the prompt with SIGINT');
    return { answer, reusable: entry.reusable };
  };

  const validated = <T>(
    q: AskedQuestion,
    toValue: (a: FakeAnswer) => T,
    validate: ((v: T) => true | string) | undefined,
  ): T => {
    for (;;) {
      const { answer, reusable } = next(q);
      const value = toValue(answer);
      const ok = validate ? validate(value) : true;
      if (ok === true) return value;
      refused.push(ok);
      // The same answer again would be refused again.
      if (reusable) throw new UnexpectedQuestion(`Refused "${String(answer)}" at "${q.message}": ${ok}`);
    }
  };

  return {
    asked,
    refused,
    said,
    async select<T>(q: SelectQuestion<T>): Promise<T> {
      const { answer } = next({
        kind: 'select',
        message: q.message,
        flag: q.flag,
        default: q.default,
        choices: q.choices as Choice<unknown>[],
      });
      const hit = q.choices.find((c) => c.value === answer);
      if (!hit) {
        throw new UnexpectedQuestion(
          `"${String(answer)}" is not a choice of "${q.message}": ${q.choices.map((c) => String(c.value)).join(', ')}`,
        );
      }
      return hit.value;
    },
    async search<T>(q: SearchQuestion<T>): Promise<T> {
      return validated<T>(
        { kind: 'search', message: q.message, flag: q.flag },
        (a) => {
          const exact = String(a).startsWith('=');
          const term = exact ? String(a).slice(1) : String(a);
          const offered = q.source(term);
          const first = exact ? offered.find((c) => c.value === term) : offered[0];
          if (!first) throw new UnexpectedQuestion(`Nothing to pick for "${String(a)}" at "${q.message}"`);
          return first.value;
        },
        q.validate,
      );
    },
    async input(q) {
      return validated(
        { kind: 'input', message: q.message, flag: q.flag, default: q.default },
        (a) => (a === '' && q.default !== undefined ? q.default : String(a)),
        q.validate,
      );
    },
    async secret(q) {
      return validated({ kind: 'secret', message: q.message, flag: q.flag }, (a) => String(a), q.validate);
    },
    async confirm(q) {
      const { answer } = next({ kind: 'confirm', message: q.message, flag: q.flag, default: q.default });
      return answer === '' ? (q.default ?? true) : Boolean(answer);
    },
    say(line) {
      said.push(line);
    },
  };
}
