/**
 * The redaction layer: every byte codexgw prints goes through `redactingWriter` (cli.ts main
 * wraps the context with `withRedaction`, and so do the test contexts), which masks every secret codexgw has seen in play and escapes terminal
 * control characters. Secrets are learnt by schema: wherever a config file is parsed or diffed
 * (`registerConfigSecrets`, `registerTomlTextSecrets`), an rc block is read, a key is typed, or
 * a request is sent. Matching is plain substring search on an ASCII-lower-cased copy (no regex on
 * file content), so the cost is linear in the output for each secret form.
 */
import { type Context, extendContext, type Writer } from '../context.ts';
import { PLAIN_PALETTE } from './palette.ts';

// ---------------------------------------------------------------------------------------------
// The mask

/** Characters a mask may show: nothing that could break the JSON or shell text it lands in. */
const SHOWABLE = /^[A-Za-z0-9_-]*$/;

/**
 * Mask a secret for display: at most the first 3 and last 4 characters around an ellipsis
 * (`sk-…abcd`), and never more than a quarter of the value, so a short key shows less (a 12-char
 * key shows its last 3). Enough to tell two keys apart, never enough to use one.
 */
export function maskSecret(value: string): string {
  const shown = value.length < 12 ? 0 : Math.min(7, Math.floor(value.length / 4));
  const tail = Math.min(4, shown);
  const head = shown - tail;
  const first = value.slice(0, head);
  const last = tail === 0 ? '' : value.slice(-tail);
  return `${SHOWABLE.test(first) ? first : ''}…${SHOWABLE.test(last) ? last : ''}`;
}

/** A header value's mask keeps its scheme: `Bearer cf…-987`, `Basic …`. */
export function maskCredential(value: string): string {
  const m = AUTH_SCHEME_PARTS.exec(value);
  return m ? `${m[1]} ${maskSecret(m[2]!)}` : maskSecret(value);
}

const AUTH_SCHEME_PARTS = /^(bearer|basic|token|digest|apikey)\s+(\S.*)$/i;

// ---------------------------------------------------------------------------------------------
// Where a Codex config keeps secrets

/** Keys whose value is a credential wherever they appear (Codex reads them literally). */
const SECRET_KEYS = new Set([
  'experimental_bearer_token',
  'bearer_token',
  'api_key',
  'apikey',
  'access_token',
  'refresh_token',
  'auth_token',
  'client_secret',
  'password',
  'secret',
  'token',
]);
/** Keys whose value names an environment variable that holds a credential. */
const SECRET_ENV_NAME_KEYS = new Set(['env_key', 'bearer_token_env_var']);
/** Tables of name → value where a credential-like name or value is a secret. */
const NAMED_VALUE_TABLES = new Set(['http_headers', 'headers', 'query_params', 'env', 'environment', 'set']);
/** Tables of header name → environment variable name. */
const ENV_HEADER_TABLES = new Set(['env_http_headers', 'env_headers']);
/** Keys holding a URL (its userinfo and credential query parameters are secrets). */
const URL_KEY = /(^|_)(url|uri|endpoint)$/;

/** Pieces of a header, query-parameter or variable name that mark its value as a credential. */
const CREDENTIAL_NAME_PARTS = [
  'auth',
  'token',
  'secret',
  'passw',
  'apikey',
  'accesskey',
  'privatekey',
  'subscriptionkey',
  'virtualkey',
  'cookie',
  'credential',
  'signature',
  'session',
];

/**
 * True when a header, query parameter or variable with this name carries a credential:
 * `Authorization`, `Helicone-Auth`, `x-api-key`, `Ocp-Apim-Subscription-Key`,
 * `x-portkey-virtual-key`, `GITHUB_TOKEN`, Azure's `api-key` / `sig` / `code`, …
 */
export function isCredentialName(name: string): boolean {
  let known = credentialNames.get(name);
  if (known === undefined) {
    const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
    known =
      n !== '' &&
      (CREDENTIAL_NAME_PARTS.some((p) => n.includes(p)) ||
        n.endsWith('key') ||
        n === 'sig' ||
        n === 'code' ||
        n === 'pwd' ||
        n === 'pass');
    // Configs repeat header names (500 providers, one `x-team` each): decide each name once.
    if (credentialNames.size < 10_000) credentialNames.set(name, known);
  }
  return known;
}

const credentialNames = new Map<string, boolean>();

const AUTH_SCHEME = /^(bearer|basic|token|digest|apikey)\s+\S/i;
const KNOWN_KEY_PREFIX =
  /^(sk|pk|rk|tfy|sk_live|sk_test|hf|glpat|ghp|gho|ghu|ghs|github_pat|xox[abpr]|AKIA|AIza|eyJ)[-_]?[A-Za-z0-9]/;

/** True when a value looks like a credential whatever it is called. */
export function looksLikeCredential(value: string): boolean {
  if (value.length < 8) return false;
  const v = value.trim();
  if (AUTH_SCHEME.test(v)) return true;
  if (v.length < 16 || /\s/.test(v)) return false;
  if (KNOWN_KEY_PREFIX.test(v) && /[0-9]/.test(v)) return true;
  if (/^[A-Fa-f0-9]{32,}$/.test(v)) return true;
  return (
    v.length >= 24 &&
    /^[A-Za-z0-9_\-+=/.]+$/.test(v) &&
    /[0-9]/.test(v) &&
    /[a-z]/.test(v) &&
    /[A-Z]/.test(v) &&
    !v.includes('/') // model names and paths, not keys
  );
}

/** What is secret at `path` (the keys leading to `value`). */
type SecretKind = 'whole' | 'url' | 'none';

function secretKindAt(path: readonly string[], value: unknown): SecretKind {
  return kindOf(path[path.length - 1] ?? '', path[path.length - 2] ?? '', value);
}

/** What is secret in `value`, the entry `leaf` of a table named `parent`. */
function kindOf(leaf: string, parent: string, value: unknown): SecretKind {
  if (SECRET_KEYS.has(leaf) || SECRET_KEYS.has(leaf.toLowerCase())) return 'whole';
  if (NAMED_VALUE_TABLES.has(parent)) {
    if (isCredentialName(leaf)) return 'whole';
    if (typeof value === 'string' && looksLikeCredential(value)) return 'whole';
  }
  if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) {
    const credentialsPossible = value.includes('@') || value.includes('?');
    if (credentialsPossible && URL_KEY.test(leaf) && urlSecrets(value).length > 0) return 'url';
    if (value.length >= 20 && KNOWN_KEY_PREFIX.test(value) && looksLikeCredential(value)) return 'whole';
  }
  return 'none';
}

/** True when the value at this dotted path is a credential and must be masked in output. */
export function isSecretPath(path: readonly string[], value?: unknown): boolean {
  return secretKindAt(path, value) !== 'none';
}

/** The value as shown: masked when it is a secret (a URL keeps everything but its credentials). */
export function maskAt(path: readonly string[], value: string): string {
  const kind = secretKindAt(path, value);
  if (kind === 'whole') return maskCredential(value);
  if (kind === 'url') return redactWith(value, urlSecrets(value));
  return value;
}

/** A deep copy of a config table with every credential masked (any type: a secret is masked whole). */
export function maskConfig<T>(value: T, path: string[] = []): T {
  if (path.length > 0 && secretKindAt(path, value) === 'whole') return maskLeaves(value) as T;
  if (typeof value === 'string') return maskAt(path, value) as T;
  if (Array.isArray(value)) return value.map((v, i) => maskConfig(v, [...path, String(i)])) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value)) out[k] = maskConfig(v, [...path, k]);
    return out as T;
  }
  return value;
}

/** Every leaf masked: a secret of the wrong type (a number, an array, a table) is still a secret. */
function maskLeaves(v: unknown): unknown {
  if (v === null || v === undefined) return v;
  if (Array.isArray(v)) return v.map(maskLeaves);
  if (typeof v === 'object' && !(v instanceof Date)) {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, x] of Object.entries(v)) out[k] = maskLeaves(x);
    return out;
  }
  return maskCredential(String(v));
}

/** The password, username and credential query values of a URL (percent-decoded too). */
export function urlSecrets(url: string): string[] {
  const out: string[] = [];
  const scheme = url.indexOf('://');
  if (scheme < 0) return out;
  const rest = url.slice(scheme + 3);
  let hostEnd = rest.length;
  for (const c of ['/', '?', '#']) {
    const i = rest.indexOf(c);
    if (i >= 0 && i < hostEnd) hostEnd = i;
  }
  const authority = rest.slice(0, hostEnd);
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    out.push(userinfo);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) out.push(userinfo.slice(colon + 1));
  }
  const q = rest.indexOf('?', hostEnd);
  if (q >= 0) {
    const hash = rest.indexOf('#', q);
    for (const pair of rest.slice(q + 1, hash < 0 ? undefined : hash).split('&')) {
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = safeDecode(pair.slice(0, eq));
      const value = pair.slice(eq + 1);
      if (value !== '' && (isCredentialName(name) || looksLikeCredential(safeDecode(value)))) out.push(value);
    }
  }
  return out.flatMap((s) => [s, safeDecode(s)]).filter((s) => s !== '');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Every secret in a parsed config (by schema), and the variables whose values are secrets. */
export function secretsInConfig(table: unknown): { values: string[]; envNames: string[] } {
  const values: string[] = [];
  const envNames: string[] = [];
  // Only the parent's name matters to the rules: no path arrays (a 5,000-line config has 8,000 nodes).
  const walk = (node: unknown, parent: string, depth: number): void => {
    if (depth > 64 || node === null || typeof node !== 'object' || node instanceof Date) return;
    const envTable = ENV_HEADER_TABLES.has(parent);
    for (const k in node) {
      const v = (node as Record<string, unknown>)[k];
      if (typeof v === 'string' && (envTable || SECRET_ENV_NAME_KEYS.has(k))) {
        envNames.push(v);
        continue;
      }
      const kind = kindOf(k, parent, v);
      if (kind === 'url') values.push(...urlSecrets(v as string));
      else if (kind === 'whole') values.push(...leaves(v));
      else if (v !== null && typeof v === 'object') walk(v, k, depth + 1);
    }
  };
  walk(table, '', 0);
  return { values, envNames };
}

function leaves(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (typeof v !== 'object' || v instanceof Date) return [String(v)];
  return Object.values(v).flatMap(leaves);
}

// ---------------------------------------------------------------------------------------------
// The registry of secrets in play

/** Shorter values are not searched for in output: they would mask ordinary words. */
const MIN_SECRET_LENGTH = 8;

const registry = {
  secrets: new Set<string>(),
  envNames: new Set<string>(),
  version: 0,
};

/** Remember a secret value: every later output masks it (and its encodings). */
export function registerSecret(value: unknown): void {
  if (typeof value !== 'string') return;
  const v = value.trim();
  if (v.length < MIN_SECRET_LENGTH || registry.secrets.has(v)) return;
  registry.secrets.add(v);
  registry.version++;
}

/** Remember a variable whose value is a secret (env_key, env_http_headers, an rc-block variable). */
export function registerSecretEnvName(name: unknown): void {
  if (typeof name !== 'string' || name === '' || registry.envNames.has(name)) return;
  registry.envNames.add(name);
  registry.version++;
}

/** Remember every secret a parsed config holds, by schema. */
export function registerConfigSecrets(table: unknown): void {
  const found = secretsInConfig(table);
  for (const v of found.values) registerSecret(v);
  for (const n of found.envNames) registerSecretEnvName(n);
}

/**
 * Remember the secrets in a config file's text without parsing it (a backup, an edit's result,
 * a file that does not parse): every `key = "string"` (or array of strings) on a line, also
 * inside inline tables, whose key is secret-bearing or whose value looks like a credential, and
 * the credentials in URLs. One pass over each line; keys are read back at most 256 characters.
 */
export function registerTomlLines(text: string | undefined): void {
  if (!text) return;
  for (const line of text.split('\n')) {
    if (!line.includes('"') && !line.includes("'")) continue;
    for (let eq = line.indexOf('='); eq >= 0; eq = line.indexOf('=', eq + 1)) {
      const key = keyBefore(line, eq);
      if (key === undefined) continue;
      let i = eq + 1;
      while (line[i] === ' ' || line[i] === '\t') i++;
      const strings: string[] = [];
      if (line[i] === '[') {
        // An array of strings: a secret of the wrong type is still a secret.
        for (i++; i < line.length && line[i] !== ']'; i++) {
          if (line[i] === '"' || line[i] === "'") {
            const s = stringAt(line, i);
            strings.push(s.value);
            i = s.end;
          }
        }
      } else if (line[i] === '"' || line[i] === "'") {
        const s = stringAt(line, i);
        strings.push(s.value);
        eq = Math.max(eq, s.end - 1);
      }
      for (const value of strings) registerLineValue(key, value);
    }
  }
}

function registerLineValue(key: string, value: string): void {
  if (SECRET_ENV_NAME_KEYS.has(key)) {
    registerSecretEnvName(value);
    return;
  }
  const lower = key.toLowerCase();
  const secretKey = SECRET_KEYS.has(lower) || (isCredentialName(key) && !lower.endsWith('env_var'));
  if (secretKey || looksLikeCredential(value)) registerSecret(value);
  if (value.includes('://')) for (const s of urlSecrets(value)) registerSecret(s);
}

/** The key (last dotted segment, unquoted) that ends just before `line[eq]`, if any. */
function keyBefore(line: string, eq: number): string | undefined {
  let end = eq;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  const last = line[end - 1];
  const stop = Math.max(0, end - 256);
  if (last === '"' || last === "'") {
    const open = line.lastIndexOf(last, end - 2);
    return open >= stop ? line.slice(open + 1, end - 1) : undefined;
  }
  let start = end;
  while (start > stop && isBareKeyChar(line.charCodeAt(start - 1))) start--;
  return start < end ? line.slice(start, end) : undefined;
}

/** A–Z, a–z, 0–9, `_` and `-`: what a bare TOML key is made of. */
function isBareKeyChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

/** The TOML string starting at `line[at]` (a quote): its value and the index after it. */
function stringAt(line: string, at: number): { value: string; end: number } {
  const q = line[at]!;
  let i = at + 1;
  while (i < line.length && line[i] !== q) i += q === '"' && line[i] === '\\' ? 2 : 1;
  const raw = line.slice(at + 1, Math.min(i, line.length));
  let value = raw;
  if (q === '"' && raw.includes('\\')) {
    try {
      value = JSON.parse(`"${raw}"`) as string;
    } catch {
      value = raw;
    }
  }
  return { value, end: i + 1 };
}

// ---------------------------------------------------------------------------------------------
// Searching output for secrets

interface Needle {
  /** ASCII-lower-cased form searched for. */
  text: string;
  mask: string;
}

/**
 * The forms a secret can take in output, each with the mask shown in its place: the value, its
 * parts (after `Bearer `; the pair and password inside `Basic …`), and each of those JSON-escaped,
 * percent-encoded and base64-encoded (masked as the part it encodes).
 */
export function secretForms(secret: string): { text: string; mask: string }[] {
  const parts = [secret];
  const scheme = AUTH_SCHEME_PARTS.exec(secret);
  if (scheme) {
    parts.push(scheme[2]!);
    // `Basic base64(user:password)`: the decoded pair and the password are secrets too.
    if (scheme[1]!.toLowerCase() === 'basic') {
      const decoded = Buffer.from(scheme[2]!, 'base64').toString('utf8');
      if (/^[\x20-\x7e]+$/.test(decoded)) {
        parts.push(decoded);
        const colon = decoded.indexOf(':');
        if (colon >= 0) parts.push(decoded.slice(colon + 1));
      }
    }
  }
  const out: { text: string; mask: string }[] = [];
  for (const part of parts) {
    const mask = maskCredential(part);
    const forms = new Set([
      part,
      JSON.stringify(part).slice(1, -1),
      encodeURIComponent(part),
      new URLSearchParams({ x: part }).toString().slice(2),
      ...base64Cores(part),
    ]);
    for (const text of forms) if (text.length >= MIN_SECRET_LENGTH) out.push({ text, mask });
  }
  return out;
}

/**
 * The base64 text of `secret` wherever it sits in an encoded stream: at each of the three byte
 * alignments, the characters that depend on the secret's bytes alone (standard and URL-safe).
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const full = Math.floor(padded.length / 3) * 4;
    const skip = offset === 0 ? 0 : offset + 1;
    const core = padded.toString('base64').slice(skip, full);
    if (core.length < MIN_SECRET_LENGTH) continue;
    out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/** A copy with A–Z lower-cased and every other code unit kept, so indexes match the original. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

function needlesOf(secrets: Iterable<string>): Needle[] {
  const byText = new Map<string, string>();
  for (const secret of secrets) {
    for (const form of secretForms(secret)) {
      const text = asciiLower(form.text);
      if (!byText.has(text)) byText.set(text, form.mask);
    }
  }
  return [...byText].map(([text, mask]) => ({ text, mask })).sort((a, b) => b.text.length - a.text.length);
}

/** `text` with every occurrence of any needle replaced by its mask (longest first, no overlaps). */
function replaceNeedles(text: string, needles: readonly Needle[]): string {
  if (needles.length === 0 || text.length < MIN_SECRET_LENGTH) return text;
  const lower = asciiLower(text);
  const hits: { start: number; end: number; mask: string }[] = [];
  for (const n of needles) {
    for (let at = lower.indexOf(n.text); at >= 0; at = lower.indexOf(n.text, at + 1)) {
      hits.push({ start: at, end: at + n.text.length, mask: n.mask });
    }
  }
  if (hits.length === 0) return text;
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  for (const h of hits) {
    if (h.end <= pos) continue;
    if (h.start >= pos) {
      out += text.slice(pos, h.start) + h.mask;
    }
    // An overlapping hit extends the masked span without a second mask.
    pos = h.end;
  }
  return out + text.slice(pos);
}

/** `text` with the given secrets (and their encodings) masked. */
export function redactWith(text: string, secrets: Iterable<string>): string {
  return replaceNeedles(text, needlesOf(secrets));
}

/**
 * A redactor for output in this environment: the registered secrets plus the values of the
 * registered variables in `env`. Needles are rebuilt only when the registry or the environment
 * object changed (commands do not edit their environment; a test passes a new one).
 */
export function redactorFor(env: () => NodeJS.ProcessEnv | undefined): (text: string) => string {
  let version = -1;
  let needles: Needle[] = [];
  let envSeen: NodeJS.ProcessEnv | undefined;
  return (text) => {
    const e = env() ?? {};
    if (version !== registry.version || e !== envSeen) {
      const fromEnv: string[] = [];
      for (const name of registry.envNames) {
        const v = e[name];
        if (typeof v === 'string' && v.trim().length >= MIN_SECRET_LENGTH) fromEnv.push(v.trim());
      }
      needles = needlesOf(new Set([...registry.secrets, ...fromEnv]));
      version = registry.version;
      envSeen = e;
    }
    return replaceNeedles(text, needles);
  };
}

let knownRedactor: ((text: string) => string) | undefined;

/** `text` with every registered secret masked (what the boundary shows, environment aside). */
export function redactKnown(text: string): string {
  knownRedactor ??= redactorFor(() => undefined);
  return knownRedactor(text);
}

// ---------------------------------------------------------------------------------------------
// Terminal safety

const UNSAFE_CHAR = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const SGR = /\u001b\[[0-9;]{0,32}m/y;

/**
 * Control characters escaped (`\x1b`, `\r`, …) so a value from a file cannot move the cursor,
 * retitle the window, hide text or fake a line. Newlines, tabs and CRLF line ends are kept; so are
 * colour (SGR) sequences when `keepColor` (the palette's own; a file's can only recolour).
 */
export function escapeControls(text: string, keepColor = false): string {
  if (!UNSAFE_CHAR.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    if (ch === '\u001b' && keepColor) {
      SGR.lastIndex = i;
      const m = SGR.exec(text);
      if (m) {
        out += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    if (ch === '\r' && text[i + 1] === '\n') {
      out += ch;
      continue;
    }
    if (UNSAFE_CHAR.test(ch)) {
      out += code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
      continue;
    }
    out += ch;
  }
  return out;
}

/** A value from a file made safe for one line of text: control characters and line breaks escaped. */
export function oneLineSafe(text: string): string {
  return escapeControls(text.replace(/\r/g, '\\r').replace(/\n/g, '\\n'));
}

// ---------------------------------------------------------------------------------------------
// The output boundary

export interface RedactingWriter extends Writer {
  /** The writer underneath, for the one output that must hold values (`env print`). */
  readonly raw: Writer;
}

/** `inner` with every write redacted and control characters escaped. */
export function redactingWriter(
  inner: Writer,
  env: () => NodeJS.ProcessEnv | undefined,
  opts: { keepColor: boolean },
): RedactingWriter {
  if ((inner as Partial<RedactingWriter>).raw) return inner as RedactingWriter;
  const redact = redactorFor(env);
  return {
    raw: inner,
    get isTTY() {
      return inner.isTTY;
    },
    set isTTY(value) {
      inner.isTTY = value;
    },
    write(text: string) {
      inner.write(escapeControls(redact(text), opts.keepColor));
    },
  };
}

/** The writer without redaction: only for output whose purpose is the values (`env print`). */
export function unredacted(w: Writer): Writer {
  return (w as Partial<RedactingWriter>).raw ?? w;
}

/**
 * The context with its stdout and stderr behind the boundary (idempotent). Colour sequences pass
 * only on a stream whose palette colours.
 */
export function withRedaction(ctx: Context): Context {
  const env = () => ctx.env;
  const stdout = redactingWriter(ctx.stdout, env, { keepColor: ctx.color !== PLAIN_PALETTE });
  const stderr = redactingWriter(ctx.stderr, env, { keepColor: ctx.errColor !== PLAIN_PALETTE });
  if (stdout === ctx.stdout && stderr === ctx.stderr) return ctx;
  return extendContext(ctx, { stdout, stderr });
}
