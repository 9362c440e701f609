/**
 * A real, private Secret Service for tests: a D-Bus session bus (dbus-daemon) and an unlocked
 * GNOME Keyring on it, both children of the test process, in a temp HOME. Nothing talks to the
 * developer's own session. Needs dbus, gnome-keyring and libsecret-tools (CI installs them);
 * missing programs are an error, never a skip.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from './tmp.ts';

const run = promisify(execFile);

export interface Keyring {
  /** The temp HOME the keyring files live under. */
  home: string;
  /** What a process needs to reach this keyring. */
  env: {
    HOME: string;
    DBUS_SESSION_BUS_ADDRESS: string;
    XDG_RUNTIME_DIR: string;
    XDG_DATA_HOME: string;
  };
  /** secret-tool lookup, straight (undefined when there is no such item). */
  lookup(account: string): Promise<string | undefined>;
  /** Store an item directly, as another program would. */
  store(account: string, secret: string): Promise<void>;
  /** Lock the login collection (Secret Service Lock), as a screen lock would. */
  lock(): Promise<void>;
  stop(): Promise<void>;
}

const PROGRAMS = [
  '/usr/bin/dbus-daemon',
  '/usr/bin/gnome-keyring-daemon',
  '/usr/bin/secret-tool',
  '/usr/bin/dbus-send',
];

function firstLine(child: ChildProcess, what: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`${what} printed nothing within ${timeoutMs} ms: ${err}`)),
      timeoutMs,
    );
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      err += s;
    });
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      buf += s;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(buf.slice(0, nl).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}): ${err}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, 2_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Start a bus and an unlocked keyring (password "test") under a fresh temp HOME. */
export async function startKeyring(
  home = path.join(makeTempDir('codexgw-keyring-'), 'home'),
): Promise<Keyring> {
  for (const p of PROGRAMS) {
    if (!existsSync(p))
      throw new Error(
        `${p} is missing: install dbus, gnome-keyring and libsecret-tools (CI's .ci/run does).`,
      );
  }
  const runtime = path.join(path.dirname(home), 'run');
  mkdirSync(home, { recursive: true });
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const base = {
    HOME: home,
    XDG_RUNTIME_DIR: runtime,
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    PATH: '/usr/bin:/bin',
  };
  // A session bus without service activation: with it, a secret-tool call that came before our
  // daemon had registered made the bus start a second, locked gnome-keyring of its own, and ours
  // then gave up ("another secret service is running").
  const busConfig = path.join(runtime, 'bus.conf');
  writeFileSync(
    busConfig,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${runtime}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );
  const bus = spawn('/usr/bin/dbus-daemon', [`--config-file=${busConfig}`, '--nofork', '--print-address=1'], {
    env: base,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const children: ChildProcess[] = [bus];
  const stop = async () => {
    for (const c of children.reverse()) await stopChild(c);
  };
  try {
    const address = await firstLine(bus, 'dbus-daemon', 10_000);
    const env = { ...base, DBUS_SESSION_BUS_ADDRESS: address };
    const keyring = spawn(
      '/usr/bin/gnome-keyring-daemon',
      ['--foreground', '--unlock', '--components=secrets'],
      { env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    children.push(keyring);
    keyring.stdin!.end('test');
    let keyringErr = '';
    keyring.stderr!.setEncoding('utf8').on('data', (s: string) => {
      keyringErr += s;
    });
    const secretTool = (args: string[], input?: string) => {
      const p = run('/usr/bin/secret-tool', args, { env, timeout: 10_000 });
      if (input !== undefined) {
        p.child.stdin!.end(input);
      }
      return p;
    };
    const api: Keyring = {
      home,
      env: {
        HOME: home,
        DBUS_SESSION_BUS_ADDRESS: address,
        XDG_RUNTIME_DIR: runtime,
        XDG_DATA_HOME: base.XDG_DATA_HOME,
      },
      async lookup(account) {
        try {
          const { stdout } = await secretTool(['lookup', 'service', 'codexgw', 'account', account]);
          return stdout;
        } catch {
          return undefined;
        }
      },
      async store(account, secret) {
        await secretTool(['store', '--label=test', 'service', 'codexgw', 'account', account], secret);
      },
      async lock() {
        await run(
          '/usr/bin/dbus-send',
          [
            '--session',
            '--print-reply',
            '--dest=org.freedesktop.secrets',
            '/org/freedesktop/secrets',
            'org.freedesktop.Secret.Service.Lock',
            'array:objpath:/org/freedesktop/secrets/collection/login',
          ],
          { env, timeout: 10_000 },
        );
      },
      stop,
    };
    // It prints nothing when it is ready: store an item until that works (it also creates the
    // login collection, so tests start from a ready keyring). Bounded: 50 tries, 200 ms apart.
    let ready = false;
    let lastError: unknown;
    for (let i = 0; i < 50 && !ready && keyring.exitCode === null; i++) {
      try {
        await api.store('__ready__', 'x');
        ready = (await api.lookup('__ready__')) === 'x';
      } catch (err) {
        lastError = err;
      }
      if (!ready) await new Promise((r) => setTimeout(r, 200));
    }
    if (!ready) throw new Error(`gnome-keyring-daemon did not come up: ${String(lastError)} ${keyringErr}`);
    return api;
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * `env -i K=V… codex exec …`: Codex with nothing but the given variables, as a desktop app or an
 * IDE starts it (no rc file ever sourced). Its own process group, killed after `timeoutMs`.
 */
export function codexWithEmptyEnv(
  codex: string,
  vars: Record<string, string>,
  cwd: string,
  prompt = 'say hi',
  timeoutMs = 40_000,
): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  const assignments = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
  const args = [
    '-i',
    ...assignments,
    codex,
    'exec',
    '--skip-git-repo-check',
    '--ephemeral',
    '--disable',
    'unbounded_connection_retries',
    prompt,
  ];
  const child = spawn('/usr/bin/env', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(kill, timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      kill();
      resolve({ exitCode, stdout, stderr });
    });
  });
}

/** Every regular file under `dir` whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && readFileSync(p).includes(needle)) out.push(p);
    }
  };
  walk(dir);
  return out;
}
