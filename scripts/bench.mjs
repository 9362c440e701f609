// Start-up and scaling benchmark: wall time of each command against the floor of a Node CLI
// (`node -e 0`), measured in one run with the commands alternated, on a typical (~100 lines)
// config, a real-world one with findings and a large (6,500 lines) one; plus peak memory. Prints
// medians and ratios against the targets (docs/performance.md), writes bench-results/*.json.
//
//   npm run bench                               # 15 rounds, on the node that runs npm
//   BENCH_ROUNDS=31 npm run bench
//   BENCH_NODE=/path/to/node24/bin/node npm run bench   # another Node line
//   BENCH_BIN=/other/checkout/bin/codexgw.js npm run bench  # another build, same harness
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_BIN measures another build (e.g. an older commit's worktree) with the same harness.
const bin = process.env.BENCH_BIN
  ? path.resolve(process.env.BENCH_BIN)
  : path.join(repo, 'bin', 'codexgw.js');
const node = process.env.BENCH_NODE ? path.resolve(process.env.BENCH_NODE) : process.execPath;
if (!existsSync(bin)) throw new Error(`bench: ${bin} does not exist`);
const nodeVersion = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const root = mkdtempSync(path.join(tmpdir(), 'codexgw-bench-'));

function typicalConfig() {
  const lines = [
    '# Codex config for the gateway team',
    'model = "gpt-5"',
    'model_provider = "portkey"',
    'model_reasoning_effort = "high"',
    'approval_policy = "on-request"',
    'sandbox_mode = "workspace-write"',
    '',
  ];
  for (const [id, url, key] of [
    ['portkey', 'https://api.portkey.ai/v1', 'PORTKEY_API_KEY'],
    ['tfy', 'https://gateway.truefoundry.ai', 'TFY_API_KEY'],
    ['litellm', 'http://localhost:4000/v1', 'LITELLM_API_KEY'],
    ['openrouter', 'https://openrouter.ai/api/v1', 'OPENROUTER_API_KEY'],
  ]) {
    lines.push(
      `# ${id}`,
      `[model_providers.${id}]`,
      `name = "${id}"`,
      `base_url = "${url}"`,
      `env_key = "${key}"`,
      'wire_api = "responses"',
      '',
    );
  }
  for (let i = 0; i < 8; i++) {
    lines.push(
      `[mcp_servers.server${i}]`,
      'command = "npx"',
      `args = ["-y", "@example/mcp-${i}"]`,
      `env = { LOG = "info" }`,
      'startup_timeout_sec = 20',
      '',
    );
  }
  for (let i = 0; i < 6; i++)
    lines.push(`[projects."/home/dev/src/project-${i}"]`, 'trust_level = "trusted"', '');
  lines.push('[features]', 'shell_tool = true', '', '[history]', 'persistence = "save-all"', '');
  return `${lines.join('\n')}\n`;
}

function largeConfig() {
  const lines = [
    '# generated: 500 providers, 500 MCP servers',
    'model = "gpt-5"',
    'model_provider = "p0"',
    '',
  ];
  for (let i = 0; i < 500; i++) {
    lines.push(
      `# provider ${i}`,
      `[model_providers.p${i}]`,
      `name = "Provider ${i}"`,
      `base_url = "https://gw${i}.example.com/v1"`,
      `env_key = "KEY_${i}"`,
      'wire_api = "responses"',
      `http_headers = { "x-team" = "t${i}" }`,
      '',
    );
  }
  for (let i = 0; i < 500; i++) {
    lines.push(
      `[mcp_servers.m${i}]`,
      'command = "npx"',
      `args = ["-y", "@example/mcp-${i}"]`,
      'startup_timeout_sec = 20',
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A real-world config that has findings, after corpus file codex-configs/02.toml: unknown and
 * ignored keys, MCP servers with keys Codex does not know, legacy [profiles.*] tables. validate
 * reports 8 warnings and 2 infos on it, so its failure path (messages, fixes) is what runs.
 */
function findingsConfig() {
  const lines = [
    '# ── Core behavior ──',
    'approval_policy = "never"            # auto-approve',
    'sandbox_mode = "danger-full-access"',
    'project_doc_fallback_filenames = ["CLAUDE.md"]',
    'show_raw_agent_reasoning = true',
    'web_search = "cached"',
    'suppress_unstable_features_warning = true',
    'steer_enabled = true',
    '',
    'persistent_instructions = "Follow project AGENTS.md guidelines."',
    '',
    '# ── Model ──',
    'model = "gpt-5.5"',
    'model_reasoning_effort = "xhigh"',
    'model_supports_reasoning_summaries = true',
    'plan_mode_reasoning_effort = "high"',
    '',
    '[features]',
    'multi_agent = true',
    'shell_tool = true',
    '',
    '[agents]',
    'max_threads = 5',
    'max_depth = 1',
    '',
  ];
  for (const name of ['explorer', 'reviewer', 'docs_researcher']) {
    lines.push(
      `[agents.${name}]`,
      `description = "The ${name} agent."`,
      `config_file = "agents/${name}.toml"`,
      '',
    );
  }
  lines.push(
    '[tui]',
    'notifications = true',
    'notification_method = "osc9"',
    'status_line = [',
    '  "model-with-reasoning", "context-remaining", "current-dir",',
    '  "five-hour-limit", "weekly-limit", "used-tokens",',
    ']',
    '',
    '# URL-based MCP servers',
    '[mcp_servers.openaiDeveloperDocs]',
    'url = "https://developers.openai.com/mcp"',
    '',
    '[mcp_servers.openaiDeveloperDocs.tools.search_openai_docs]',
    'approval_mode = "approve"',
    '',
    '[mcp_servers.exa]',
    'url = "https://mcp.exa.ai/mcp"',
    '',
  );
  for (const name of ['context7', 'github', 'memory', 'sequential-thinking']) {
    lines.push(
      `[mcp_servers.${name}]                    # npm install -g ${name}-mcp`,
      'type = "stdio"',
      `command = "${name}-mcp"`,
      'startup_timeout_sec = 30',
      ...(name === 'sequential-thinking' ? ['description = "Chain-of-thought reasoning"'] : []),
      '',
    );
  }
  lines.push(
    '[mcp_servers.github.env]',
    'GITHUB_PERSONAL_ACCESS_TOKEN = "ghp_placeholder"',
    '',
    '# ── Profiles (switch with: codex --profile <name>) ──',
    '[profiles.strict]',
    'approval_policy = "on-request"',
    'sandbox_mode = "read-only"',
    '',
    '[profiles.yolo]',
    'approval_policy = "never"',
    'sandbox_mode = "workspace-write"',
    '',
    '[plugins."browser-use@openai-bundled"]',
    'enabled = true',
    '',
    '[plugins."documents@openai-primary-runtime"]',
    'enabled = true',
    '',
  );
  return `${lines.join('\n')}\n`;
}

function makeHome(name, text) {
  const home = path.join(root, name);
  const codexHome = path.join(home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  mkdirSync(path.join(home, 'work'), { recursive: true });
  writeFileSync(path.join(codexHome, 'config.toml'), text);
  return { home, lines: text.split('\n').length - 1 };
}

const homes = {
  typical: makeHome('typical', typicalConfig()),
  findings: makeHome('findings', findingsConfig()),
  large: makeHome('large', largeConfig()),
};
const commands = {
  floor: ['-e', '0'],
  version: [bin, '--version'],
  'config show --json': [bin, 'config', 'show', '--json'],
  validate: [bin, 'validate'],
  'use --dry-run': [bin, 'use', 'tfy', '--dry-run'],
  doctor: [bin, 'doctor'],
};
const largeArgs = { 'use --dry-run': [bin, 'use', 'p1', '--dry-run'] };
/** The commands run on each config: every one on the typical config, validate on the others. */
const commandsOf = {
  typical: Object.keys(commands),
  findings: ['validate'],
  large: ['config show --json', 'validate', 'use --dry-run', 'doctor'],
};

// codexgw's own PATH without node_modules/.bin, so `doctor` measures itself, not the codex binary.
const PATH = (process.env.PATH ?? '')
  .split(path.delimiter)
  .filter((p) => !p.includes('node_modules'))
  .join(path.delimiter);
function envFor(home) {
  return {
    HOME: home,
    PATH,
    NO_COLOR: '1',
    CI: 'true',
    CODEXGW_SYSTEM_CONFIG: path.join(root, 'no-system.toml'),
  };
}

function runOnce(args, home, extraEnv = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(node, args, {
    cwd: path.join(home, 'work'),
    env: { ...envFor(home), ...extraEnv },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, status: r.status, stderr: r.stderr };
}

const cases = [];
for (const [size, { home }] of Object.entries(homes)) {
  for (const name of commandsOf[size]) {
    const args = commands[name];
    cases.push({
      size,
      name,
      args: size === 'large' ? (largeArgs[name] ?? args) : args,
      home,
      times: [],
      failures: [],
    });
  }
}

// The machine's load before the run: other work on the cores moves medians by more than the
// differences being measured, so a busy machine is named in the output.
const loadBefore = loadavg()[0];
const cores = availableParallelism();

// Warm the OS cache and the code cache, then alternate: every round runs every case once.
for (const c of cases) runOnce(c.args, c.home);
for (let r = 0; r < rounds; r++) {
  for (const c of cases) {
    const { ms, status, stderr } = runOnce(c.args, c.home);
    c.times.push(ms);
    // doctor exits 1 when it finds problems (no key set here); anything above 1 is a failure.
    if (status !== 0 && !(c.name === 'doctor' && status === 1)) c.failures.push(stderr.trim().split('\n')[0]);
  }
}

// Peak memory (max RSS), measured by the child itself on exit, through a preloaded CommonJS file
// (an --import hook would start the ES module loader and count its memory too).
const rssFile = path.join(root, 'rss');
const rssHook = path.join(root, 'rss-hook.cjs');
writeFileSync(
  rssHook,
  "process.on('exit', () => require('node:fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
);
for (const c of cases) {
  rmSync(rssFile, { force: true });
  runOnce(['--require', rssHook, ...c.args], c.home, { BENCH_RSS_FILE: rssFile });
  try {
    c.rssMB = Number(readFileSync(rssFile, 'utf8')) / 1024;
  } catch {
    c.rssMB = null;
  }
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) * q + 0.5)];
};
const median = (xs) => quantile(xs, 0.5);
const floor = median(cases.find((c) => c.name === 'floor').times);
const typicalOf = (name) => median(cases.find((c) => c.size === 'typical' && c.name === name).times);

const rows = cases.map((c) => {
  const med = median(c.times);
  return {
    size: c.size,
    command: c.name,
    medianMs: Number(med.toFixed(1)),
    // The middle half of the runs: how noisy the machine was while this command ran.
    p25Ms: Number(quantile(c.times, 0.25).toFixed(1)),
    p75Ms: Number(quantile(c.times, 0.75).toFixed(1)),
    ratioToFloor: Number((med / floor).toFixed(2)),
    ratioToTypical: c.size === 'large' ? Number((med / typicalOf(c.name)).toFixed(2)) : null,
    peakRssMB: c.rssMB === null ? null : Number(c.rssMB.toFixed(1)),
    failures: c.failures.length,
  };
});

// The targets (issue 13; docs/performance.md).
const checks = [];
const rowOf = (size, command) => rows.find((r) => r.size === size && r.command === command);
const ratioCheck = (target, row, value, limit) =>
  checks.push({ target, value, ok: value <= limit && row.failures === 0 });
ratioCheck(
  'typical version ≤ 1.05× floor',
  rowOf('typical', 'version'),
  rowOf('typical', 'version').ratioToFloor,
  1.05,
);
for (const name of ['config show --json', 'validate', 'use --dry-run']) {
  const row = rowOf('typical', name);
  ratioCheck(`typical ${name} ≤ 1.4× floor`, row, row.ratioToFloor, 1.4);
}
const findings = rowOf('findings', 'validate');
ratioCheck('findings validate ≤ 1.4× floor', findings, findings.ratioToFloor, 1.4);
for (const name of ['config show --json', 'validate', 'use --dry-run']) {
  const row = rowOf('large', name);
  ratioCheck(`large ${name} ≤ 3× typical`, row, row.ratioToTypical, 3);
}
const typicalPeak = Math.max(
  ...rows
    .filter((r) => r.size !== 'large' && r.command !== 'floor')
    .map((r) => r.peakRssMB ?? Number.POSITIVE_INFINITY),
);
checks.push({
  target: 'typical and findings peak memory ≤ 60 MB',
  value: Number(typicalPeak.toFixed(1)),
  ok: typicalPeak <= 60,
});

const pad = (s, n) => String(s).padEnd(n);
console.log(
  `codexgw benchmark — node ${nodeVersion}, ${rounds} rounds, typical ${homes.typical.lines} lines, findings ${homes.findings.lines} lines, large ${homes.large.lines} lines`,
);
console.log(`floor (node -e 0) median: ${floor.toFixed(1)} ms`);
console.log(`load average before the run: ${loadBefore.toFixed(2)} on ${cores} cores\n`);
if (loadBefore > cores / 2) {
  console.log(
    'warning: the machine was busy when the run started; ratios will be noisy. Run it again on an idle machine.\n',
  );
}
console.log(
  `${pad('size', 10)}${pad('command', 22)}${pad('median ms', 11)}${pad('p25–p75', 14)}${pad('× floor', 9)}${pad('× typical', 11)}${pad('peak MB', 9)}failures`,
);
for (const r of rows) {
  console.log(
    `${pad(r.size, 10)}${pad(r.command, 22)}${pad(r.medianMs, 11)}${pad(`${r.p25Ms}–${r.p75Ms}`, 14)}${pad(r.ratioToFloor, 9)}${pad(r.ratioToTypical ?? '', 11)}${pad(r.peakRssMB ?? '?', 9)}${r.failures}`,
  );
}
console.log('');
for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'MISS'} ${c.target}: ${c.value}`);
for (const c of cases) if (c.failures.length) console.log(`failed: ${c.size} ${c.name}: ${c.failures[0]}`);

// ---- codex wrapper overhead (issue 18, `codexgw pin`) -------------------------------------------
// What the `codex` shell function adds to every codex start: in one shell process, N calls of
// `codex` through the wrapper (inside a pinned project, the slowest path: map read, pin found)
// against N calls of the real command. "codex" here is /bin/true, so the difference is the wrapper.
function wrapperOverhead() {
  const n = Number(process.env.BENCH_WRAPPER_CALLS ?? 200);
  const home = path.join(root, 'wrapper');
  const codexHome = path.join(home, '.codex');
  const repoDir = path.join(home, 'repo');
  const sub = path.join(repoDir, 'a', 'b');
  const fakeBin = path.join(home, 'bin');
  mkdirSync(path.join(repoDir, '.git'), { recursive: true });
  writeFileSync(path.join(repoDir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(sub, { recursive: true });
  mkdirSync(codexHome, { recursive: true });
  mkdirSync(fakeBin, { recursive: true });
  spawnSync('ln', ['-sf', '/bin/true', path.join(fakeBin, 'codex')]);
  writeFileSync(path.join(codexHome, 'config.toml'), typicalConfig());
  writeFileSync(path.join(codexHome, 'work.config.toml'), 'model_provider = "tfy"\n');
  const env = { ...envFor(home), PATH: `${fakeBin}${path.delimiter}${PATH}` };
  // A realistic map: the pin that applies plus 20 others.
  const pins = Array.from({ length: 20 }, (_, i) => `/home/dev/src/other-${i}\twork\t`);
  const out = [];
  for (const shell of ['bash', 'zsh', 'fish']) {
    if (spawnSync(shell, ['-c', 'true']).error) continue;
    const pin = spawnSync(
      node,
      [bin, 'pin', 'work', '--wrapper', '--shell', shell, '--rc-file', path.join(home, `rc.${shell}`)],
      {
        cwd: sub,
        env,
        encoding: 'utf8',
      },
    );
    if (pin.status !== 0) {
      out.push({ shell, error: pin.stderr.trim().split('\n')[0] });
      continue;
    }
    writeFileSync(
      path.join(codexHome, 'codexgw-pins.tsv'),
      `${readFileSync(path.join(codexHome, 'codexgw-pins.tsv'), 'utf8')}${pins.join('\n')}\n`,
    );
    const file = path.join(codexHome, shell === 'fish' ? 'codexgw-wrapper.fish' : 'codexgw-wrapper.sh');
    const loop = (body) =>
      shell === 'fish'
        ? `source ${file}; for i in (seq ${n}); ${body}; end`
        : `. ${file}; i=0; while [ $i -lt ${n} ]; do ${body}; i=$((i+1)); done`;
    const time = (body) => {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(
        shell,
        [...(shell === 'zsh' ? ['-f'] : shell === 'bash' ? ['--norc'] : ['--no-config']), '-c', loop(body)],
        { cwd: sub, env },
      );
      if (r.status !== 0) throw new Error(`${shell} loop failed: ${r.stderr}`);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    const wrapped = [];
    const direct = [];
    for (let r = 0; r < 5; r++) {
      wrapped.push(time('codex exec hi'));
      direct.push(time('command codex exec hi'));
    }
    const perCall = (median(wrapped) - median(direct)) / n;
    out.push({
      shell,
      calls: n,
      wrapperMs: Number(median(wrapped).toFixed(1)),
      directMs: Number(median(direct).toFixed(1)),
      addedMsPerCall: Number(perCall.toFixed(3)),
    });
  }
  return out;
}
const wrapper = wrapperOverhead();
console.log('\ncodex wrapper (codexgw pin): added start-up time per codex call, inside a pinned project');
for (const w of wrapper) {
  if (w.error) console.log(`  ${pad(w.shell, 6)} could not install the wrapper: ${w.error}`);
  else
    console.log(
      `  ${pad(w.shell, 6)} ${w.addedMsPerCall} ms per call (${w.calls} calls: ${w.wrapperMs} ms wrapped, ${w.directMs} ms direct)`,
    );
}
// ---- end of the codex wrapper case ---------------------------------------------------------------

const outDir = path.join(repo, 'bench-results');
mkdirSync(outDir, { recursive: true });
const doc = {
  date: new Date().toISOString(),
  node: nodeVersion,
  bin,
  rounds,
  loadBefore: Number(loadBefore.toFixed(2)),
  cores,
  floorMs: Number(floor.toFixed(1)),
  rows,
  checks,
  wrapper,
};
const stamp = doc.date.replace(/[:.]/g, '-');
writeFileSync(path.join(outDir, `bench-${stamp}.json`), `${JSON.stringify(doc, null, 2)}\n`);
writeFileSync(path.join(outDir, 'latest.json'), `${JSON.stringify(doc, null, 2)}\n`);
console.log(`\nwrote bench-results/bench-${stamp}.json`);
rmSync(root, { recursive: true, force: true });
