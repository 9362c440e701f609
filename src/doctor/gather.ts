import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { activeProvider, customProvider } from '../checks/doctor/active.ts';
import type { AuthFacts } from '../checks/doctor/auth.ts';
import { type LegacyPlan, type ProfileFileState, planLegacyMigration } from '../checks/doctor/migrate.ts';
import type {
  CodexDoctorCheck,
  CodexDoctorFacts,
  CodexFacts,
  ConfigFacts,
  DoctorInput,
  DoctorOptions,
  ModelCatalogFacts,
  OnlineFacts,
  RcFacts,
  SecretFile,
} from '../checks/doctor/types.ts';
import { defaultRulesInUse } from '../checks/rules.ts';
import { readFileToCheck } from '../checks/validate.ts';
import { findCodex, rulesInUse } from '../codex/detect.ts';
import { parseVersion, type RulesInUse, rulesFor } from '../codex/rules.ts';
import { type LoadedConfig, loadConfig } from '../config/layers.ts';
import { isTable } from '../config/overrides.ts';
import { listProfileFiles, profileConfigPath } from '../config/paths.ts';
import { readConfigSource } from '../config/source.ts';
import type { Context } from '../context.ts';
import { CodexgwError, EXIT } from '../errors.ts';
import type { HttpFailure } from '../io/http.ts';
import * as http from '../io/http.ts';
import {
  type EnvState,
  type EnvTarget,
  findConflicts,
  readEnvState,
  resolveEnvTarget,
} from '../shell/state.ts';
import { fileMode, isTrackedByGit } from '../shell/warnings.ts';

/**
 * The I/O half of doctor: read the config layers and the rc block, find and run Codex, call the
 * gateway. Everything that waits (git, codex, HTTP) runs at once under the one `--timeout`, and
 * an overall deadline makes sure doctor never waits much longer than that.
 */

export interface GatherOptions extends DoctorOptions {
  overrides: string[];
}

/** Extra time past --timeout for a child process to be killed and reaped. */
const GRACE_MS = 500;

export async function gather(opts: GatherOptions, ctx: Context): Promise<Omit<DoctorInput, 'fixed'>> {
  const { config, legacy } = gatherConfig(opts, ctx);
  const rc = readRc(ctx);
  const loaded = config.loaded;
  // Not codexgw's own node_modules/.bin (npx puts it first): the user's Codex.
  const codexPath = findCodex(ctx.env);
  const deadline = opts.timeoutMs + GRACE_MS;
  // The auth command's token is the key --online sends, so it runs first (within its own timeout).
  const auth = await authFacts(loaded, ctx);
  const [secretFiles, version, doctor, online] = await Promise.all([
    secretFileFacts(rc.files, ctx.env, opts.timeoutMs),
    codexPath ? within(deadline, codexVersion(codexPath, ctx, opts.timeoutMs), timedOut(opts)) : undefined,
    codexDoctor(codexPath, opts, ctx, loaded, deadline),
    onlineFacts(opts, ctx, loaded, deadline, auth?.token),
  ]);
  return {
    options: opts,
    config,
    legacy,
    env: ctx.env,
    rc: { ...rc.facts, secretFiles },
    codex: { path: codexPath, version, doctor },
    online,
    rules: doctorRules(opts.codexVersion, version),
    modelCatalog: loaded ? readModelCatalog(loaded) : undefined,
    auth,
  };
}

/** The active provider's auth command, run (the key modules load only when there is one). */
async function authFacts(loaded: LoadedConfig | undefined, ctx: Context): Promise<AuthFacts | undefined> {
  const custom = loaded ? customProvider(activeProvider(loaded)) : undefined;
  if (!custom || !isTable(custom.table.auth)) return undefined;
  const { gatherAuthFacts } = await import('./auth-facts.ts');
  return gatherAuthFacts(custom.id, custom.table, ctx);
}

const timedOut = (opts: DoctorOptions) => ({
  ok: false as const,
  reason: `it did not finish within ${opts.timeoutMs / 1000} s`,
});

/** The synchronous part: config layers, the other profile files, legacy profiles. */
export function gatherConfig(
  opts: Pick<GatherOptions, 'profile' | 'overrides'>,
  ctx: Pick<Context, 'cwd' | 'env'>,
): { config: ConfigFacts; legacy: LegacyPlan | undefined } {
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig({
      cwd: ctx.cwd,
      env: ctx.env,
      profile: opts.profile,
      overrides: opts.overrides,
      onError: 'collect',
    });
  } catch (err) {
    // A missing CODEX_HOME is a finding; a bad -c or --profile value stays a usage error.
    if (err instanceof CodexgwError && err.exitCode === EXIT.io) {
      return { config: { error: err }, legacy: undefined };
    }
    throw err;
  }
  const selected = loaded.layers.find((l) => l.kind === 'profile')?.file;
  const otherProfiles = listProfileFiles(loaded.home.dir)
    .filter((f) => f !== selected)
    .map((file) => readFileToCheck('profile', file));
  return { config: { loaded, otherProfiles }, legacy: gatherLegacy(loaded) };
}

function gatherLegacy(loaded: LoadedConfig): LegacyPlan | undefined {
  const source = loaded.layers.find((l) => l.kind === 'user')?.source;
  if (!source?.exists) return undefined;
  const states = new Map<string, ProfileFileState>();
  for (const name of isTable(source.value.profiles) ? Object.keys(source.value.profiles) : []) {
    let file: string;
    try {
      file = profileConfigPath(loaded.home, name);
    } catch {
      continue; // not a name `codex --profile` accepts: the plan reports it
    }
    try {
      const s = readConfigSource(file);
      states.set(name, { file, exists: s.exists, value: s.value });
    } catch (err) {
      states.set(name, { file, exists: true, value: {}, error: (err as Error).message });
    }
  }
  return planLegacyMigration(source, loaded.home.dir, states);
}

interface RcRead {
  facts: Omit<RcFacts, 'secretFiles'>;
  /** Files that hold managed values. */
  files: string[];
}

/** The managed block of the user's shell rc (and the secrets file it sources). Never throws. */
function readRc(ctx: Context): RcRead {
  const empty = { vars: [], overridden: [] };
  let target: EnvTarget;
  try {
    target = resolveEnvTarget({}, ctx);
  } catch (err) {
    const reason = err instanceof CodexgwError ? err.message.replace(/\.$/, '') : String(err);
    return { facts: { shell: undefined, file: undefined, unknownReason: reason, ...empty }, files: [] };
  }
  const base = { shell: target.shell, file: target.rcFile };
  let state: EnvState;
  try {
    state = readEnvState(target);
  } catch (err) {
    if (!(err instanceof CodexgwError)) throw err;
    const damaged = { message: err.message, file: err.file ?? target.rcFile, line: err.line, hint: err.hint };
    return { facts: { ...base, damaged, ...empty }, files: [] };
  }
  const overridden = findConflicts(state)
    .filter((c) => c.winner === 'other')
    .map((c) => ({ name: c.name, file: c.file, line: c.line, same: c.same }));
  const files = [...new Set(state.vars.map((v) => v.file))];
  return {
    facts: { ...base, vars: state.vars, overridden },
    files,
  };
}

async function secretFileFacts(
  files: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<SecretFile[]> {
  return Promise.all(
    files.map(async (file) => ({
      file,
      mode: fileMode(file),
      // git answering slowly only means "not known to be tracked"; doctor never waits for it.
      tracked: await within(timeoutMs + GRACE_MS, isTrackedByGit(file, env, timeoutMs), false),
    })),
  );
}

/** The models of the file model_catalog_json names (relative to the file that sets it). */
export function readModelCatalog(loaded: LoadedConfig): ModelCatalogFacts | undefined {
  const named = loaded.merged.model_catalog_json;
  if (typeof named !== 'string') return undefined;
  const origin = loaded.originOf(['model_catalog_json'])?.file;
  const file = path.resolve(origin ? path.dirname(origin) : loaded.home.dir, named);
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { models?: { slug?: unknown }[] };
    const slugs = (json.models ?? []).flatMap((m) => (typeof m.slug === 'string' ? [m.slug] : []));
    return { file, slugs };
  } catch (err) {
    return { file, slugs: undefined, error: (err as Error).message };
  }
}

/** --codex-version's rules, else those of the codex on PATH, else the newest shipped. */
export function doctorRules(flag: string | undefined, version: CodexFacts['version']): RulesInUse {
  if (flag !== undefined) return rulesInUse(flag, {});
  const found = version?.ok ? rulesFor(version.text) : undefined;
  if (!found || !version?.ok) return defaultRulesInUse();
  return { ...found, codexVersion: parseVersion(version.text)!.join('.'), source: 'path' };
}

/** The first executable `name` on env.PATH (with PATHEXT on Windows). */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  return findAllOnPath(name, env, 1)[0];
}

/** Every executable `name` on env.PATH, in PATH order (at most `limit`). */
export function findAllOnPath(name: string, env: NodeJS.ProcessEnv, limit = Infinity): string[] {
  const found: string[] = [];
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const file = path.join(dir, name + ext.toLowerCase());
      try {
        if (!statSync(file).isFile()) continue;
        accessSync(file, constants.X_OK);
        if (!found.includes(file)) found.push(file);
        if (found.length >= limit) return found;
      } catch {
        // not here
      }
    }
  }
  return found;
}

/** The environment Codex children get: the user's, without backtraces or colour codes. */
function codexEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, RUST_BACKTRACE: '0', NO_COLOR: '1' };
}

/** `codex --version` of the binary at `file` (e.g. `codex-cli 0.169.0`), or why it failed. */
export async function codexVersion(
  file: string,
  ctx: Context,
  timeoutMs: number,
): Promise<CodexFacts['version']> {
  const r = await runChild(file, ['--version'], ctx, timeoutMs);
  if (r.timedOut) return { ok: false, reason: `it did not answer within ${timeoutMs / 1000} s` };
  if (r.exitCode !== 0) return { ok: false, reason: r.failure ?? `exit code ${r.exitCode}` };
  const line = r.stdout.split('\n').find((l) => /\d+\.\d+/.test(l));
  return line
    ? { ok: true, text: line.trim() }
    : { ok: false, reason: `it printed no version ("${r.stdout.trim()}")` };
}

/**
 * `codex doctor --json`, with the same CODEX_HOME, cwd and -c overrides. It probes the provider
 * over the network and has no offline switch (0.169: `codex doctor --help`), so it runs only
 * with --online. It does not accept --profile either.
 */
async function codexDoctor(
  file: string | undefined,
  opts: GatherOptions,
  ctx: Context,
  loaded: LoadedConfig | undefined,
  deadline: number,
): Promise<CodexDoctorFacts> {
  if (!file) return { state: 'skipped', reason: 'Codex is not installed.' };
  if (!opts.online) {
    return {
      state: 'skipped',
      reason: '`codex doctor` calls the provider over the network, so it runs only with --online.',
    };
  }
  if (opts.profile) {
    return { state: 'skipped', reason: '`codex doctor` does not accept --profile, so it is not run here.' };
  }
  if (!loaded) return { state: 'skipped', reason: 'The config could not be loaded.' };
  const args = [...opts.overrides.flatMap((o) => ['-c', o]), 'doctor', '--json'];
  const r = await within(deadline, runChild(file, args, ctx, opts.timeoutMs), undefined);
  if (!r || r.timedOut)
    return { state: 'failed', reason: `it did not finish within ${opts.timeoutMs / 1000} s` };
  return parseCodexDoctor(r.stdout, r.failure);
}

/** Parse `codex doctor --json` (schemaVersion 1: `{checks: {<id>: {id, status, summary, …}}}`). */
export function parseCodexDoctor(stdout: string, failure?: string): CodexDoctorFacts {
  const start = stdout.indexOf('{');
  let doc: unknown;
  try {
    doc = JSON.parse(stdout.slice(start));
  } catch {
    return { state: 'failed', reason: failure ?? 'its output was not JSON' };
  }
  const checks = (doc as { checks?: unknown }).checks;
  if (start < 0 || !isTable(checks)) return { state: 'failed', reason: 'its JSON has no checks' };
  const out: CodexDoctorCheck[] = [];
  for (const [id, raw] of Object.entries(checks)) {
    if (!isTable(raw)) continue;
    const details: Record<string, string> = {};
    if (isTable(raw.details)) {
      for (const [k, v] of Object.entries(raw.details)) if (typeof v === 'string') details[k] = v;
    }
    out.push({
      id: typeof raw.id === 'string' ? raw.id : id,
      status: typeof raw.status === 'string' ? raw.status : 'unknown',
      summary: typeof raw.summary === 'string' ? raw.summary : '',
      remediation: typeof raw.remediation === 'string' ? raw.remediation : null,
      details,
    });
  }
  return { state: 'done', checks: out };
}

interface ChildResult {
  exitCode: number | undefined;
  stdout: string;
  timedOut: boolean;
  /** Why it could not run (ENOENT, EACCES, a signal). */
  failure: string | undefined;
}

/**
 * Run a child with stdin closed and a kill timer. It gets its own process group so the kill
 * reaches the native binary behind Codex's node launcher too.
 */
async function runChild(file: string, args: string[], ctx: Context, timeoutMs: number): Promise<ChildResult> {
  const { execa } = await import('execa');
  const child = execa(file, args, {
    cwd: ctx.cwd,
    env: codexEnv(ctx.env),
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    detached: process.platform !== 'win32',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024,
  });
  let expired = false;
  const killGroup = () => {
    if (child.pid === undefined || process.platform === 'win32') return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  // execa's own timeout kills only the launcher; the native binary it started would keep the
  // output pipes open, so the whole group goes.
  const timer = setTimeout(() => {
    expired = true;
    killGroup();
  }, timeoutMs);
  try {
    const r = await child;
    return {
      exitCode: r.exitCode,
      stdout: String(r.stdout ?? ''),
      timedOut: Boolean(r.timedOut) || expired,
      failure: r.failed && !r.timedOut && !expired && r.exitCode === undefined ? r.shortMessage : undefined,
    };
  } finally {
    clearTimeout(timer);
    killGroup();
  }
}

/** `promise`, or `fallback` when it has not settled within `ms`. */
function within<T, F>(ms: number, promise: Promise<T>, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
    timer.unref();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The gateway probes for the active provider (`--online`, `--request`). */
async function onlineFacts(
  opts: GatherOptions,
  ctx: Context,
  loaded: LoadedConfig | undefined,
  deadline: number,
  authToken: string | undefined,
): Promise<OnlineFacts> {
  const none = (skipReason: string | undefined): OnlineFacts => ({
    models: undefined,
    request: undefined,
    baseUrl: undefined,
    skipReason,
  });
  if (!opts.online) return none(undefined);
  if (!loaded) return none('The config could not be loaded.');
  const custom = customProvider(activeProvider(loaded));
  if (!custom) return none('No gateway provider is active: nothing to call.');
  const t = custom.table;
  const baseUrl = typeof t.base_url === 'string' ? t.base_url.replace(/\/+$/, '') : undefined;
  if (!baseUrl || !/^https?:\/\//i.test(baseUrl)) return none('The provider has no usable http(s) base_url.');
  const envKey = typeof t.env_key === 'string' ? t.env_key : undefined;
  const key = envKey
    ? ctx.env[envKey]
    : typeof t.experimental_bearer_token === 'string'
      ? t.experimental_bearer_token
      : authToken;
  const request = {
    baseUrl,
    apiKey: key?.trim() ? key : undefined,
    headers: providerHeaders(t, ctx.env),
    queryParams: stringTable(t.query_params),
    timeoutMs: opts.timeoutMs,
    keyEnvVar: envKey,
    env: ctx.env,
  };
  const model = typeof loaded.merged.model === 'string' ? loaded.merged.model : undefined;
  // The client has its own timeout; this only guards against one that does not fire.
  const late = (endpoint: string): HttpFailure => ({
    ok: false,
    kind: 'timeout',
    message: `${http.endpointUrl(baseUrl, endpoint)} did not answer within ${opts.timeoutMs / 1000}s.`,
    hint: 'Check the URL and your network (VPN, proxy, firewall); if the gateway is just slow, raise --timeout.',
    latencyMs: deadline,
    url: http.endpointUrl(baseUrl, endpoint),
  });
  const [models, probe] = await Promise.all([
    within(deadline, http.fetchModels(request), late('models')),
    opts.request && model
      ? within(deadline, http.probeResponses({ ...request, model }), late('responses'))
      : Promise.resolve(undefined),
  ]);
  return {
    models,
    request: probe,
    baseUrl,
    skipReason: opts.request && !model ? 'No model is set, so no request was sent.' : undefined,
  };
}

/** Static headers plus the env_http_headers whose variable is set, as Codex sends them. */
function providerHeaders(t: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, string> {
  const out = stringTable(t.http_headers);
  for (const [header, variable] of Object.entries(stringTable(t.env_http_headers))) {
    const value = env[variable];
    if (value !== undefined && value.trim() !== '') out[header] = value;
  }
  return out;
}

function stringTable(v: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null); // keys come from the file
  if (isTable(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}
