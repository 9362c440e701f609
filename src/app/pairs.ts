import { UsageError } from '../errors.ts';

/** `K=V` pairs from a repeatable flag; the first "=" splits, as in a shell assignment. */
export function parsePairs(values: readonly string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null); // a `__proto__` name stays a name
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0)
      throw new UsageError(`${flag} expects NAME=VALUE, got "${v}".`, {
        hint: `e.g. ${flag} x-portkey-provider=@openai-prod`,
      });
    out[v.slice(0, eq).trim()] = v.slice(eq + 1).trim();
  }
  return out;
}
