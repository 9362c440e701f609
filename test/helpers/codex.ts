/**
 * The real Codex CLI (the pinned dev dependency) as a test oracle (codex-oracle.md): strict
 * config validation, the merged config with origins over app-server JSON-RPC, and `codex exec`
 * against a fake gateway.
 *
 * Every run gets a scrubbed environment (no real HOME, no keys from the developer's shell),
 * RUST_BACKTRACE=0, closed stdin, its own process group and a kill timer. A missing binary is an
 * error, never a skip: the tests that need Codex fail loudly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from './tmp.ts';
import { isQuickRun, notInQuickRun } from './tools.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Every Codex release the tests run against: one per shipped rule set (src/codex/rules). Each is a
 * devDependency in package.json, so `npm ci` installs them all: 0.169.0 as `@openai/codex`, the
 * others as npm aliases `codex-<version>`, whose native optional dependency npm nests under
 * node_modules/codex-<version>/node_modules.
 */
export const CODEX_VERSIONS = ['0.169.0', '0.171.0'] as const;
export type CodexVersion = (typeof CODEX_VERSIONS)[number];

/** The npm launcher (bin/codex.js) of one installed Codex release. */
export function codexLauncher(version: CodexVersion): string {
  const pkg = version === '0.169.0' ? path.join('@openai', 'codex') : `codex-${version}`;
  return path.join(ROOT, 'node_modules', pkg, 'bin', 'codex.js');
}

function missing(file: string): never {
  const where = process.env.CI ? 'CI must install dev dependencies (npm ci)' : 'run npm ci';
  throw new Error(
    `The Codex oracle is missing: ${file} does not exist (a dev dependency: @openai/codex or codex-<version>); ${where}. Oracle tests never skip.`,
  );
}

/**
 * Path of a pinned Codex's launcher (default 0.169.0); throws when it is not installed. Not
 * node_modules/.bin/codex: every release installed provides that name, and npm links one of them.
 */
export function codexBinary(version: CodexVersion = '0.169.0'): string {
  if (isQuickRun()) throw notInQuickRun('Codex');
  const bin = codexLauncher(version);
  if (!existsSync(bin)) missing(bin);
  return bin;
}

const TRIPLES: Record<string, string> = {
  'linux-x64': 'x86_64-unknown-linux-musl',
  'linux-arm64': 'aarch64-unknown-linux-musl',
  'darwin-x64': 'x86_64-apple-darwin',
  'darwin-arm64': 'aarch64-apple-darwin',
};

/**
 * The native binary the launcher of a release spawns (node's start-up is ~4/5 of a short codex
 * run, so the oracle calls the binary directly); the launcher where there is none to be found.
 */
export function nativeCodex(version?: CodexVersion): string {
  const launcher = realpathSync(codexBinary(version));
  const target = `${process.platform}-${process.arch}`;
  const triple = TRIPLES[target];
  if (!triple) return launcher;
  try {
    const pkg = createRequire(launcher).resolve(`@openai/codex-${target}/package.json`);
    const bin = path.join(path.dirname(pkg), 'vendor', triple, 'bin', 'codex');
    return existsSync(bin) ? bin : launcher;
  } catch {
    return launcher;
  }
}

/**
 * A directory holding only `codex` (a link to one release's launcher), to put on PATH. codexgw
 * skips its own node_modules/.bin when it looks for the user's Codex, so tests cannot use that.
 * Made once, under node_modules/.cache (kept between runs, never committed).
 */
export function codexPathDir(version: CodexVersion): string {
  const dir = path.join(ROOT, 'node_modules', '.cache', 'codexgw-test-bin', version);
  const link = path.join(dir, 'codex');
  const target = codexBinary(version);
  if (!existsSync(link)) {
    mkdirSync(dir, { recursive: true });
    try {
      symlinkSync(target, link);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return dir;
}

/** Harmless stderr lines on this kind of machine (codex-oracle.md §0). */
const NOISE = [
  /^WARNING: proceeding, even though we could not create PATH aliases/,
  /could not find bubblewrap on PATH/i,
  /will use the bundled bubblewrap/i,
];

export function filterNoise(text: string): string {
  return text
    .split('\n')
    .filter((line) => !NOISE.some((re) => re.test(line)))
    .join('\n');
}

export interface CodexRunOptions {
  /** CODEX_HOME; must exist. */
  codexHome: string;
  cwd: string;
  /** Extra environment (keys, header variables). Nothing else is inherited but PATH. */
  env?: NodeJS.ProcessEnv;
  /** `-c key=value` overrides. */
  overrides?: string[];
  timeoutMs?: number;
  /** Which pinned release to run (default 0.169.0). */
  version?: CodexVersion | undefined;
}

export interface CodexRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** stderr without the harmless warning lines. */
  stderr: string;
  timedOut: boolean;
}

/**
 * A scrubbed environment: PATH (the launcher is a node script), a temp HOME, no keys, and git
 * limited to local repositories (Codex's plugin sync runs `git ls-remote` against github.com;
 * tests reach 127.0.0.1 only).
 */
function codexEnv(codexHome: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: path.join(codexHome, '..'),
    CODEX_HOME: codexHome,
    RUST_BACKTRACE: '0',
    NO_COLOR: '1',
    TERM: 'dumb',
    GIT_ALLOW_PROTOCOL: 'file',
    ...extra,
  };
}

function spawnCodex(args: string[], opts: CodexRunOptions, stdin: 'ignore' | 'pipe'): ChildProcess {
  return spawn(nativeCodex(opts.version), args, {
    cwd: opts.cwd,
    env: codexEnv(opts.codexHome, opts.env),
    stdio: [stdin, 'pipe', 'pipe'],
    // Its own process group, so a kill reaches the native binary the launcher spawns.
    detached: true,
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Run codex to completion (stdin closed), killing its process group after `timeoutMs`. */
export function runCodex(args: string[], opts: CodexRunOptions): Promise<CodexRun> {
  const child = spawnCodex(args, opts, 'ignore');
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child);
  }, opts.timeoutMs ?? 30_000);
  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      killGroup(child);
      resolve({ exitCode, signal, stdout, stderr: filterNoise(stderr), timedOut });
    });
  });
}

function configArgs(overrides: string[] = []): string[] {
  return overrides.flatMap((o) => ['-c', o]);
}

export interface StartupConfigError {
  filePath: string | null;
  line: number | null;
  column: number | null;
  detail: string;
  message: string;
}

export interface StartupCheck {
  ok: boolean;
  error?: StartupConfigError;
  run: CodexRun;
}

/**
 * `codex [--strict-config] app-server --print-startup-config`: Codex's own verdict on the config
 * for `cwd` (user file, trusted project layers, `-c` overrides), with file/line/column on error.
 */
async function startupCheck(strict: boolean, opts: CodexRunOptions): Promise<StartupCheck> {
  const args = [
    ...(strict ? ['--strict-config'] : []),
    ...configArgs(opts.overrides),
    'app-server',
    '--print-startup-config',
  ];
  const run = await runCodex(args, { ...opts, timeoutMs: opts.timeoutMs ?? 20_000 });
  const json = lastJsonLine(run.stdout) as
    | { appServerVersion?: string; error?: { message?: string; data?: Record<string, unknown> } }
    | undefined;
  if (run.exitCode === 0 && json?.appServerVersion) return { ok: true, run };
  const data = json?.error?.data ?? {};
  return {
    ok: false,
    run,
    error: {
      filePath: typeof data.filePath === 'string' ? data.filePath : null,
      line: typeof data.line === 'number' ? data.line : null,
      column: typeof data.column === 'number' ? data.column : null,
      detail: typeof data.detail === 'string' ? data.detail : run.stderr.trim(),
      message: json?.error?.message ?? run.stderr.trim(),
    },
  };
}

export function codexStrictCheck(opts: CodexRunOptions): Promise<StartupCheck> {
  return startupCheck(true, opts);
}

/** As codexStrictCheck, but unknown keys pass (Codex's default mode). */
export function codexCheck(opts: CodexRunOptions): Promise<StartupCheck> {
  return startupCheck(false, opts);
}

function lastJsonLine(text: string): unknown {
  const lines = text.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line);
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export interface ConfigOrigin {
  name: { type: string; file?: string; dotCodexFolder?: string; profile?: string | null };
  version?: string;
}

/** One layer of `config/read` (highest precedence first), e.g. sessionFlags, project, user, system. */
export interface ConfigReadLayer extends ConfigOrigin {
  config: Record<string, unknown>;
  /** Set on layers Codex does not load (an untrusted project), saying why. */
  disabledReason?: string | null;
  [key: string]: unknown;
}

export interface ConfigReadResult {
  /** The effective config: every top-level key (null when unset), providers expanded to all fields. */
  config: Record<string, unknown>;
  /** Dotted key → the layer it came from (`{name: {type, file?, dotCodexFolder?, profile?}, version}`). */
  origins: Record<string, ConfigOrigin>;
  layers: ConfigReadLayer[];
}

/**
 * The merged config and each key's origin, from `codex app-server`'s `config/read` over stdio
 * JSON-RPC: initialize → initialized → config/read {cwd, includeLayers}. A 20 s watchdog; the
 * child is always killed.
 */
export async function codexConfigRead(opts: CodexRunOptions): Promise<ConfigReadResult> {
  const child = spawnCodex([...configArgs(opts.overrides), 'app-server'], opts, 'pipe');
  const pending = new Map<number, (msg: Record<string, unknown>) => void>();
  let stderr = '';
  let buffer = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    buffer += s;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (typeof msg.id === 'number' && (msg.result !== undefined || msg.error !== undefined)) {
        pending.get(msg.id)?.(msg);
      }
    }
  });
  const send = (msg: Record<string, unknown>) => child.stdin!.write(`${JSON.stringify(msg)}\n`);
  const request = (id: number, method: string, params: unknown) =>
    new Promise<Record<string, unknown>>((resolve) => {
      pending.set(id, resolve);
      send({ id, method, params });
    });

  let watchdog: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    watchdog = setTimeout(
      () => reject(new Error(`codex app-server did not answer within 20 s. stderr: ${filterNoise(stderr)}`)),
      opts.timeoutMs ?? 20_000,
    );
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`codex app-server exited (${code}) early. stderr: ${filterNoise(stderr).trim()}`)),
    );
  });
  child.stdin!.on('error', () => undefined); // EPIPE when it exits early; reported by `exited`.

  try {
    const conversation = (async () => {
      const init = await request(1, 'initialize', { clientInfo: { name: 'codexgw-tests', version: '0' } });
      if (init.error) throw new Error(`initialize failed: ${JSON.stringify(init.error)}`);
      send({ method: 'initialized' });
      const reply = await request(2, 'config/read', { cwd: opts.cwd, includeLayers: true });
      if (reply.error) throw new Error(`config/read failed: ${JSON.stringify(reply.error)}`);
      return reply.result as ConfigReadResult;
    })();
    return await Promise.race([conversation, timeout, exited]);
  } finally {
    clearTimeout(watchdog);
    killGroup(child);
  }
}

export interface ExecOptions {
  codexHome: string;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  profile?: string;
  prompt: string;
  overrides?: string[];
  /** Default 30 s. */
  timeoutMs?: number;
}

/**
 * `codex exec --skip-git-repo-check --ephemeral` with stdin closed, unbounded connection retries
 * off (a closed port fails in ~1 s instead of retrying forever) and a kill timer.
 */
export async function codexExec(
  opts: ExecOptions,
): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  const args = [
    'exec',
    '--skip-git-repo-check',
    '--ephemeral',
    '--disable',
    'unbounded_connection_retries',
    ...(opts.profile ? ['--profile', opts.profile] : []),
    ...configArgs(opts.overrides),
    opts.prompt,
  ];
  const run = await runCodex(args, {
    codexHome: opts.codexHome,
    cwd: opts.cwd,
    env: opts.env,
    timeoutMs: opts.timeoutMs ?? 30_000,
  });
  return { exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr };
}

/** A fresh CODEX_HOME (and its parent as HOME) plus a cwd outside any git repo. */
export function codexSandbox(): { home: string; codexHome: string; cwd: string } {
  const root = makeTempDir('codexgw-oracle-');
  const codexHome = path.join(root, 'codex-home');
  const cwd = path.join(root, 'work');
  mkdirSync(codexHome, { recursive: true });
  mkdirSync(cwd, { recursive: true });
  return { home: root, codexHome, cwd };
}
