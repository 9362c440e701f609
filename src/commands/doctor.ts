import { profilesNote, withProfileFlag } from '../app/profiles.ts';
import { type Check, runDoctorChecks, type Summary, summarizeChecks } from '../checks/doctor/index.ts';
import { type CheckGroup, type FixOutcome, GROUPS, groupOf } from '../checks/doctor/types.ts';
import { DRY_RUN, defineSpec, type OptionsOf, OVERRIDES, PROFILE } from '../command-spec.ts';
import type { LoadedConfig } from '../config/layers.ts';
import { type Context, println } from '../context.ts';
import { applyFixes, planFixWrites } from '../doctor/apply-fix.ts';
import { type FixAction, type FixNeed, type FixPlan, planFixes } from '../doctor/fixes.ts';
import { gather, gatherConfig } from '../doctor/gather.ts';
import { gatherPinFacts } from '../doctor/pin-facts.ts';
import { EXIT, UsageError } from '../errors.ts';
import { type Ask, promptAsk, withSpinner } from '../io/prompts.ts';
import { formatPlannedDiff } from '../io/safe-write.ts';

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
    json: { kind: 'flag', description: 'print JSON: {checks, summary, fix}' },
    fix: {
      kind: 'flag',
      description:
        'apply every fix with one safe form (wire_api, ignored keys, legacy profiles; see --trust, --into-profile)',
    },
    yes: { kind: 'flag', short: 'y', description: 'with --fix: write without asking' },
    dryRun: { ...DRY_RUN, description: 'with --fix: show the diff and write nothing' },
    trust: {
      kind: 'flag',
      description: 'with --fix: also trust the project whose config Codex ignores here',
    },
    intoProfile: {
      kind: 'value',
      value: 'name',
      description: "with --fix: move a project file's model_provider/model_providers into this profile",
    },
    profile: { ...PROFILE, description: 'check with $CODEX_HOME/<name>.config.toml layered' },
    config: OVERRIDES,
    codexVersion: {
      kind: 'value',
      value: 'version',
      description: "apply this Codex release's rules (default: the codex on PATH)",
    },
  },
  examples: [
    'codexgw doctor',
    'codexgw doctor --online --json',
    'codexgw doctor --fix --dry-run',
    'codexgw doctor --fix --yes --trust --into-profile team',
  ],
  help: 'Exit codes: 0 no errors, 1 errors found (or the fix was declined: nothing written), 2 bad usage.',
});

/** A check as doctor prints it: with whether `--fix` applies its fix. */
export type DoctorCheck = Check & { autofix: boolean };

/** What `doctor --fix` planned and did, for the report and the JSON. */
export interface FixReport {
  dryRun: boolean;
  /** The fixes planned (written unless dryRun, declined or failed). */
  actions: FixAction[];
  /** Fixes it could make with one more answer. */
  needs: FixNeed[];
  /** The unified diff of every file. */
  diff: string;
  written: boolean;
  backups: string[];
}

export interface DoctorResult {
  checks: DoctorCheck[];
  summary: Summary;
  /** Only with --fix (the JSON has no `fix` key without it). */
  fix: FixReport | null;
}

/** `codexgw doctor`: gather the facts, run the checks, print the checklist. Exit 1 on any error. */
export async function run(
  o: OptionsOf<typeof spec>,
  ctx: Context,
  deps: { ask?: Ask } = {},
): Promise<number> {
  const seconds = Number(o.timeout);
  if (!/^\d+(\.\d+)?$/.test(o.timeout.trim()) || !(seconds > 0) || seconds > 600) {
    throw new UsageError(`--timeout ${o.timeout} is not a number of seconds between 0 and 600.`, {
      hint: 'Pass e.g. --timeout 10.',
    });
  }
  if (!o.fix && (o.yes || o.dryRun || o.trust || o.intoProfile !== undefined)) {
    throw new UsageError('--yes, --dry-run, --trust and --into-profile go with --fix.', {
      hint: 'Run `codexgw doctor --fix` with them, e.g. `codexgw doctor --fix --dry-run`.',
    });
  }
  // --request only makes sense online; asking for it is asking to go online.
  const opts = {
    online: Boolean(o.online || o.request),
    request: Boolean(o.request),
    profile: o.profile,
    timeoutMs: Math.round(seconds * 1000),
    overrides: o.config ?? [],
    codexVersion: o.codexVersion,
  };
  let fixed: FixOutcome | undefined;
  let report: FixReport | null = null;
  if (o.fix) {
    const r = await runFix(o, opts, ctx, deps.ask ?? promptAsk(ctx));
    if (r === 'declined') return EXIT.failure;
    ({ fixed, report } = r);
  }
  // Gathered after --fix, so the checks describe the files as they are now.
  const gathering = gather(opts, ctx);
  const facts = opts.online
    ? await withSpinner(ctx, 'Calling the gateway and codex doctor…', gathering, { quiet: o.json })
    : await gathering;
  const pin = gatherPinFacts(ctx, facts.config.loaded, facts.rc);
  const input = { ...facts, fixed, pin };
  const plan = planFixes(input.config, input.legacy, { trust: Boolean(o.trust), intoProfile: o.intoProfile });
  const checks = withProfilesNote(markFixable(runDoctorChecks(input), plan, o.profile), input.config.loaded);
  const result: DoctorResult = { checks, summary: summarizeChecks(checks), fix: report };
  if (o.json)
    println(ctx.stdout, JSON.stringify(report ? result : { checks, summary: result.summary }, null, 2));
  else render(result, ctx);
  return result.summary.error > 0 ? EXIT.failure : EXIT.ok;
}

type FixOpts = OptionsOf<typeof spec>;

/** Plan every fix, show one diff, ask once, write all or nothing. */
async function runFix(
  o: FixOpts,
  opts: { profile: string | undefined; overrides: string[] },
  ctx: Context,
  ask: Ask,
): Promise<{ fixed: FixOutcome | undefined; report: FixReport } | 'declined'> {
  const before = gatherConfig(opts, ctx);
  const intoProfile = o.intoProfile ?? (await askIntoProfile(o, before, ctx, ask));
  const plan = planFixes(before.config, before.legacy, { trust: Boolean(o.trust), intoProfile });
  const writes = planFixWrites(plan);
  const report: FixReport = {
    dryRun: Boolean(o.dryRun),
    actions: plan.actions,
    needs: plan.needs,
    diff: formatPlannedDiff(writes),
    written: false,
    backups: [],
  };
  if (writes.length === 0) {
    return { fixed: emptyOutcome(), report: { ...report, actions: [] } };
  }
  if (!o.json) {
    println(ctx.stdout, ctx.color.bold('doctor --fix will:'));
    for (const a of plan.actions) println(ctx.stdout, `  - ${a.summary}`);
    println(ctx.stdout);
    ctx.stdout.write(formatPlannedDiff(writes, ctx.color));
    println(ctx.stdout);
  }
  if (o.dryRun) {
    println(ctx.stderr, ctx.errColor.dim('Dry run: nothing was written.'));
    return { fixed: undefined, report };
  }
  if (!o.yes) {
    if (!ctx.interactive) {
      throw new UsageError(
        'doctor --fix shows its changes and asks before writing, but it cannot ask here.',
        {
          hint: 'Pass --yes to write these changes (or --dry-run to only show them).',
        },
      );
    }
    const ok = await ask.confirm({ message: 'Write these changes?', flag: '--yes', default: true });
    if (!ok) {
      // A "no" is an answer, not an interruption: exit 1 (Ctrl-C is 130).
      println(ctx.stderr, 'Nothing was written.');
      return 'declined';
    }
  }
  const fixed = await applyFixes(plan, writes, ctx);
  return { fixed, report: { ...report, written: !fixed.error, backups: fixed.backups } };
}

/** Interactively, offer to move a project file's provider settings into a profile. */
async function askIntoProfile(
  o: FixOpts,
  before: ReturnType<typeof gatherConfig>,
  ctx: Context,
  ask: Ask,
): Promise<string | undefined> {
  if (o.yes || o.dryRun || o.json || !ctx.interactive) return undefined;
  const needs = planFixes(before.config, before.legacy, { trust: false, intoProfile: undefined }).needs;
  if (!needs.some((n) => n.kind === 'project-provider')) return undefined;
  const name = await ask.input({
    message:
      'This project file sets a provider, which Codex ignores there. Move it into which profile? (empty: leave it)',
    flag: '--into-profile <name>',
    validate: (v) =>
      v.trim() === '' || /^[A-Za-z0-9_-]+$/.test(v.trim()) || 'Letters, digits, "_" and "-" only.',
  });
  return name.trim() || undefined;
}

function emptyOutcome(): FixOutcome {
  return {
    moved: [],
    selectorRemoved: undefined,
    configFile: '',
    backups: [],
    error: undefined,
    applied: [],
  };
}

/** Each check with whether `--fix` applies its fix; a fix that needs an answer says which. */
export function markFixable(
  checks: readonly Check[],
  plan: FixPlan,
  profile: string | undefined,
): DoctorCheck[] {
  const matches = (c: Check, x: { file: string; line: number | null; checks: readonly string[] }) =>
    x.checks.includes(c.id) && c.file === x.file && (x.line === null || c.line === null || c.line === x.line);
  return checks.map((c) => {
    const need = plan.needs.find((n) => matches(c, n));
    const fix = need ? (c.fix ? `${c.fix} Or: ${need.hint}` : need.hint) : c.fix;
    return {
      ...c,
      fix: fix === null ? null : withProfileFlag(fix, profile),
      autofix: c.status !== 'ok' && c.status !== 'skipped' && plan.actions.some((a) => matches(c, a)),
    };
  });
}

/** Without -p and with no provider in the user config: the provider check names the profiles that have one. */
function withProfilesNote(checks: DoctorCheck[], loaded: LoadedConfig | undefined): DoctorCheck[] {
  const note = loaded ? profilesNote(loaded, 'codexgw doctor') : undefined;
  if (!note) return checks;
  return checks.map((c) =>
    c.id === 'provider.active' && c.status === 'warning' ? { ...c, fix: `${note} ${c.fix ?? ''}`.trim() } : c,
  );
}

const TITLES: Record<CheckGroup, string> = {
  config: 'Config files',
  provider: 'Provider',
  env: 'API key and shell',
  model: 'Model',
  codex: 'Codex',
  online: 'Gateway (online)',
};

function render(result: DoctorResult, ctx: Context): void {
  const { checks, summary } = result;
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
      if (x.fix) {
        const auto =
          x.autofix && !x.fix.includes('doctor --fix') ? c.dim(' (`codexgw doctor --fix` does this)') : '';
        println(ctx.stdout, `      ${c.info('fix:')} ${x.fix}${auto}`);
      }
    }
    println(ctx.stdout);
  }
  const total = summary.error ? c.danger('✗') : summary.warning ? c.warn('!') : c.ok('✓');
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  const fixable = checks.filter((x) => x.autofix).length;
  if (fixable > 0 && !result.fix?.dryRun) {
    println(ctx.stdout, `${n(fixable, 'problem')} can be fixed with \`codexgw doctor --fix\`.`);
  }
  println(
    ctx.stdout,
    `${total} ${n(summary.error, 'error')}, ${n(summary.warning, 'warning')}, ${summary.ok} ok, ${summary.skipped} skipped`,
  );
}
