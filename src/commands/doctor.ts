import { type Check, runDoctorChecks, type Summary, summarizeChecks } from '../checks/doctor/index.ts';
import { planChangesSomething } from '../checks/doctor/migrate.ts';
import { type CheckGroup, type FixOutcome, GROUPS, groupOf } from '../checks/doctor/types.ts';
import { defineSpec, type OptionsOf, OVERRIDES, PROFILE } from '../command-spec.ts';
import { type Context, println } from '../context.ts';
import { applyLegacyFix } from '../doctor/apply-fix.ts';
import { gather, gatherConfig } from '../doctor/gather.ts';
import { EXIT, UsageError } from '../errors.ts';

export const spec = defineSpec({
  summary: 'explain what is wrong with this Codex + gateway setup, and how to fix it',
  options: {
    online: { kind: 'flag', description: 'also call the gateway: GET <base>/models with the key' },
    request: { kind: 'flag', description: 'with --online, send one tiny POST <base>/responses' },
    timeout: {
      kind: 'value',
      value: 'seconds',
      description: 'timeout for every network check',
      default: '5',
    },
    json: { kind: 'flag', description: 'print JSON: {checks, summary}' },
    fix: { kind: 'flag', description: 'apply safe fixes (migrate legacy profiles into profile files)' },
    profile: { ...PROFILE, description: 'check with $CODEX_HOME/<name>.config.toml layered' },
    config: OVERRIDES,
  },
  examples: ['codexgw doctor', 'codexgw doctor --online --json'],
  help: 'Exit codes: 0 no errors, 1 errors found.',
});

/** `codexgw doctor`: gather the facts, run the checks, print the checklist. Exit 1 on any error. */
export async function run(o: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const seconds = Number(o.timeout);
  if (!/^\d+(\.\d+)?$/.test(o.timeout.trim()) || !(seconds > 0) || seconds > 600) {
    throw new UsageError(`--timeout ${o.timeout} is not a number of seconds between 0 and 600.`, {
      hint: 'Pass e.g. --timeout 10.',
    });
  }
  // --request only makes sense online; asking for it is asking to go online.
  const opts = {
    online: Boolean(o.online || o.request),
    request: Boolean(o.request),
    profile: o.profile,
    timeoutMs: Math.round(seconds * 1000),
    overrides: o.config ?? [],
  };
  let fixed: FixOutcome | undefined;
  if (o.fix) {
    const before = gatherConfig(opts, ctx);
    fixed = { moved: [], selectorRemoved: undefined, configFile: '', backups: [], error: undefined };
    if (before.legacy && before.config.loaded && planChangesSomething(before.legacy)) {
      fixed = await applyLegacyFix(before.legacy, before.config.loaded.home.dir, ctx);
    }
  }
  // Gathered after --fix, so the checks describe the files as they are now.
  const checks = runDoctorChecks({ ...(await gather(opts, ctx)), fixed });
  const summary = summarizeChecks(checks);
  if (o.json) println(ctx.stdout, JSON.stringify({ checks, summary }, null, 2));
  else printChecklist(checks, summary, ctx);
  return summary.error > 0 ? EXIT.failure : EXIT.ok;
}

const TITLES: Record<CheckGroup, string> = {
  config: 'Config files',
  provider: 'Provider',
  env: 'API key and shell',
  model: 'Model',
  codex: 'Codex',
  online: 'Gateway (online)',
};

function printChecklist(checks: readonly Check[], summary: Summary, ctx: Context): void {
  const c = ctx.color;
  const mark: Record<Check['status'], string> = {
    ok: c.ok('✓'),
    warning: c.warn('!'),
    error: c.danger('✗'),
    skipped: c.dim('-'),
  };
  for (const group of GROUPS) {
    const mine = checks.filter((x) => groupOf(x) === group);
    if (mine.length === 0) continue;
    println(ctx.stdout, c.bold(TITLES[group]));
    for (const x of mine) {
      const text = x.status === 'skipped' ? c.dim(x.message) : x.message;
      println(ctx.stdout, `  ${mark[x.status]} ${text}  ${c.dim(x.id)}`);
      const at = x.file ? (x.line === null ? x.file : `${x.file}:${x.line}`) : undefined;
      if (at && x.status !== 'ok' && !x.message.includes(at))
        println(ctx.stdout, `      ${c.dim('at')} ${at}`);
      if (x.fix) println(ctx.stdout, `      ${c.info('fix:')} ${x.fix}`);
    }
    println(ctx.stdout);
  }
  const total = summary.error ? c.danger('✗') : summary.warning ? c.warn('!') : c.ok('✓');
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  println(
    ctx.stdout,
    `${total} ${n(summary.error, 'error')}, ${n(summary.warning, 'warning')}, ${summary.ok} ok, ${summary.skipped} skipped`,
  );
}
