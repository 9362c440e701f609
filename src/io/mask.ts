/**
 * Mask a secret for display: the first 3 and last 4 characters around an ellipsis (`sk-…abcd`),
 * which is enough to tell two keys apart and never enough to use one. Short values reveal nothing.
 */
export function maskSecret(value: string): string {
  if (value.length < 12) return '…';
  return `${value.slice(0, 3)}…${value.slice(-4)}`;
}

/** Config keys whose values are credentials (Codex reads them literally). */
const SECRET_KEYS = /^(experimental_bearer_token|bearer_token)$/;
/** Header names that carry credentials. */
const SECRET_HEADERS = /(authorization|api[-_]?key|token|secret|password|cookie)/i;

/** True when the value at this dotted path is a credential and must be masked in output. */
export function isSecretPath(path: readonly string[]): boolean {
  const leaf = path[path.length - 1] ?? '';
  if (SECRET_KEYS.test(leaf)) return true;
  const parent = path[path.length - 2];
  return parent === 'http_headers' && SECRET_HEADERS.test(leaf);
}

/** A deep copy of a config table with every credential masked. */
export function maskConfig<T>(value: T, path: string[] = []): T {
  if (typeof value === 'string') return (isSecretPath(path) ? maskSecret(value) : value) as T;
  if (Array.isArray(value)) return value.map((v, i) => maskConfig(v, [...path, String(i)])) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = Object.create(null); // a `__proto__` key stays a key
    for (const [k, v] of Object.entries(value)) out[k] = maskConfig(v, [...path, k]);
    return out as T;
  }
  return value;
}
