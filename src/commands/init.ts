/**
 * `codexgw init`: the set-up wizard. It asks (or takes from flags) the gateway, where the
 * provider goes, the base URL, the provider id, the key, the model (listed by the gateway when the
 * key works), extra headers and whether to make it active; then shows the diff of every file it
 * will touch (the rc diff masked), asks once, and writes all of it in one transaction.
 *
 * The questions live in src/init/steps.ts, the planning in src/init/plan.ts; this file does the
 * I/O between them (config files, the models request, stdin) and prints the result.
 */

import { configTarget } from '../app/write-config.ts';
import { type CommandOutcome, outcome } from '../command-spec.ts';
import { loadConfig } from '../config/layers.ts';
import { readConfigSource } from '../config/source.ts';
import { type Context, println, tilde } from '../context.ts';
import { EXIT, UsageError } from '../errors.ts';
import {
  checkProviderId,
  detectGateway,
  type GatewayId,
  PRESETS,
  type StringTable,
} from '../gateways/index.ts';
import { INIT_SPEC } from '../init/flags.ts';
import { type InitAnswers, nextSteps, planInit, routingRuleText } from '../init/plan.ts';
import {
  type BaseUrlAnswer,
  certainGateway,
  type HeadersAnswer,
  type InitFlags,
  type KeyAnswer,
  mayAsk,
  parseHeaderFlags,
  providerTablesOf,
  type StepContext,
  stepBaseUrl,
  stepConfirm,
  stepEnvKey,
  stepGateway,
  stepGatewayProblem,
  stepHeaders,
  stepKey,
  stepKeyStore,
  stepModel,
  stepProviderId,
  stepShell,
  stepTarget,
  stepUse,
  stringOf,
  stringTableOf,
  suggestProviderId,
} from '../init/steps.ts';
import { commitPlans } from '../io/commit.ts';
import { endpointUrl, type FetchModelsResult, fetchModels, type RequestOptions } from '../io/http.ts';
import { trimPastedKey } from '../io/pasted-key.ts';
import { type Ask, promptAsk, withSpinner } from '../io/prompts.ts';
import { formatPlannedDiff, type PlannedWrite, type WriteResult } from '../io/safe-write.ts';
import { readStdinSecret } from '../io/stdin.ts';
import { formatEditsDiff } from '../shell/apply.ts';
import { secretsFilePath } from '../shell/key.ts';
import { assertVarName, type Shell } from '../shell/quote.ts';
import { detectShell } from '../shell/rc-path.ts';
import { printWarnings } from '../shell/report.ts';
import { readEnvState, resolveEnvTarget } from '../shell/state.ts';

export const spec = INIT_SPEC;

type KeySave = import('../keys/save.ts').KeySave;

/** What tests replace: the questions, the models request, the commit (to inject a failure). */
export interface InitDeps {
  ask?: Ask;
  fetchModels?: (opts: RequestOptions) => Promise<FetchModelsResult>;
  commit?: (plans: readonly PlannedWrite[], ctx: Context) => Promise<WriteResult[]>;
  /** Timeout of the models request (default 10 s). */
  timeoutMs?: number;
}

/** `init --json`: the provider set up and the files written (or that would be, with --dry-run). */
export interface InitResult {
  id: string;
  gateway: string;
  file: string;
  profile: string | null;
  active: boolean;
  model: string | null;
  status: 'added' | 'replaced' | 'unchanged';
  dryRun: boolean;
  written: boolean;
  files: { file: string; changed: boolean; created: boolean; backup: string | null }[];
  /** What to do next, one sentence each. */
  next: string[];
}

export async function run(
  flags: InitFlags,
  ctx: Context,
  deps: InitDeps = {},
): Promise<number | CommandOutcome<InitResult>> {
  preflight(flags, ctx);
  const stdinKey = flags.keyStdin ? await readKeyFromStdin(ctx) : undefined;
  const sc: StepContext = { ctx, flags, ask: deps.ask ?? promptAsk(ctx) };
  const c = ctx.errColor;
  const say = (line: string) => println(ctx.stderr, line);
  const shown = new Set<string>();
  const note = (text: string) => {
    if (shown.has(text)) return;
    shown.add(text);
    say(c.dim(`note: ${text}`));
  };

  // 1. Gateway (default: the one the active provider points at).
  const gateway = await stepGateway(sc, activeGateway(ctx, flags.profile));
  const preset = PRESETS[gateway];

  // 2. Where: the user config or a profile file. Its providers decide the id and the prefills.
  const profile = await stepTarget(sc, gateway, configTarget(ctx, undefined).label);
  const target = configTarget(ctx, profile);
  const config = readConfigSource(target.file).value; // broken TOML stops here, before more questions
  const providers = providerTablesOf(config);
  const suggested = flags.id ?? suggestProviderId(preset, config);

  // 3. Base URL (prefilled from the provider a re-run would update, if it is this gateway's).
  const candidate = providers[suggested];
  const candidateGateway = candidate ? detectGateway(candidate)?.gateway : undefined;
  const previousUrl =
    candidateGateway === undefined || candidateGateway === gateway ? candidate?.base_url : undefined;
  let baseUrl = await stepBaseUrl(sc, preset, stringOf(previousUrl));
  for (const n of baseUrl.notes) note(n);

  // 4. Provider id: new, or update the existing one.
  const idAnswer = await stepProviderId(sc, preset, providers, suggested, target.label);
  const { id, existing } = idAnswer;
  if (profile) warnAboutShadowing(ctx, id, profile);

  // 5. The key: variable, value, and where the shell gets it.
  const envKey = await stepEnvKey(sc, preset, stringOf(existing?.env_key));
  let key: KeyAnswer = await stepKey(sc, preset, envKey, { stdinKey });
  // The keychain (where usable) or the key file, else the rc file; said before anything is written.
  const keyStore = key.store ? await keyStoreFor(flags, id, ctx) : undefined;
  let keyHome = key.store && !keyStore ? await keyDestination(sc, envKey) : undefined;

  const headers: HeadersAnswer = {
    http: { ...stringTableOf(existing?.http_headers), ...parseHeaderFlags(flags.header, '--header') },
    env: {
      ...stringTableOf(existing?.env_http_headers),
      ...parseHeaderFlags(flags.envHeader, '--env-header'),
    },
  };

  // The models list doubles as the key check: a rejected key can be typed again right here.
  let listed: string[] | undefined;
  const fetchList = deps.fetchModels ?? fetchModels;
  while (key.value !== undefined) {
    say(c.dim(`Checking the key: GET ${endpointUrl(baseUrl.baseUrl, 'models')} …`));
    const call = fetchList({
      baseUrl: baseUrl.baseUrl,
      apiKey: key.value,
      headers: requestHeaders(headers, ctx.env),
      queryParams: queryParamsFor(gateway, baseUrl, existing),
      timeoutMs: deps.timeoutMs ?? 10_000,
      keyEnvVar: envKey,
      env: ctx.env,
    });
    const reply = await withSpinner(ctx, 'Waiting for the gateway…', call, { quiet: flags.json });
    if (reply.ok) {
      listed = reply.models;
      say(
        `${c.ok('✓')} ${preset.displayName} accepted the key and lists ${plural(reply.models.length, 'model')}.`,
      );
      break;
    }
    const action = await stepGatewayProblem(sc, reply, key.source);
    if (action === 'skip') {
      if (!mayAsk(sc)) {
        say(`${c.warn('warning:')} Could not check the key or list the models: ${reply.message}`);
        say(`  ${c.info('fix:')} ${reply.hint} (init continues; check later with codexgw doctor --online)`);
      }
      break;
    }
    if (action === 'key') {
      key = await stepKey(sc, preset, envKey, { rejected: true });
      if (key.store && !keyHome) keyHome = await keyDestination(sc, envKey);
    } else if (action === 'url') {
      baseUrl = await stepBaseUrl(
        { ...sc, flags: { ...flags, baseUrl: undefined } },
        preset,
        baseUrl.baseUrl,
      );
      for (const n of baseUrl.notes) note(n);
    }
  }

  // 6. Model (the gateway's naming rules; Portkey's fix adds a header, TrueFoundry's a rule).
  const previousModel =
    existing && config.model_provider === id && typeof config.model === 'string' ? config.model : undefined;
  const modelAnswer = await stepModel(sc, preset, {
    listed,
    previous: previousModel,
    headers: { http_headers: headers.http, env_http_headers: headers.env },
    required: flags.use !== false,
  });
  if (modelAnswer.header) headers.http[modelAnswer.header[0]] = modelAnswer.header[1];

  // 7. Extra headers; 8. make it active.
  const finalHeaders = await stepHeaders(sc, preset, headers);
  const use = await stepUse(sc, id, target.label);

  const answers: InitAnswers = {
    gateway,
    profile,
    baseUrl,
    id,
    force: idAnswer.force,
    existing,
    envKey,
    key,
    shell: keyHome?.shell,
    rcFile: flags.rcFile,
    secretsFile: keyHome?.secretsFile ?? false,
    keyStore,
    model: modelAnswer.model,
    headers: finalHeaders,
    use,
    routingRule: modelAnswer.routingRule,
  };
  const plan = await planInit(answers, ctx);

  // What the user approves: notes and warnings, a summary, then the full diff of every file.
  for (const n of plan.notes) note(n);
  // A plain TrueFoundry name with the rule printed below needs no second warning.
  const ruleCovers = answers.routingRule?.applied && plan.modelCheck?.level === 'warning';
  if (plan.modelCheck && plan.modelCheck.level !== 'ok' && !ruleCovers) {
    say(`${c.warn('warning:')} ${plan.modelCheck.message}`);
    say(`  ${c.info('fix:')} ${plan.modelCheck.hint}`);
  }
  // Azure lists the resource's base models, not deployment names: no point comparing.
  if (listed && answers.model && gateway !== 'azure' && !isListed(answers.model, listed)) {
    say(
      `${c.warn('warning:')} "${answers.model}" is not among the ${plural(listed.length, 'model')} the gateway listed for this key.`,
    );
    say(
      `  ${c.info('fix:')} Check the name with codexgw model list (some gateways list only part of what they serve).`,
    );
  }
  if (plan.keyPlan) printWarnings(plan.keyPlan.warnings, ctx);

  const routing = answers.routingRule ? routingRuleText(answers.routingRule, profile) : undefined;
  const printRouting = () => {
    if (!routing) return;
    say(`\n${routing.intro}`);
    ctx.stdout.write(routing.yaml);
    for (const line of routing.after) say(`  ${line}`);
  };
  const printNext = () => {
    say('');
    for (const line of nextSteps(answers, plan, ctx.env)) say(line);
  };

  const result = (files: InitResult['files'], written: boolean): CommandOutcome<InitResult> =>
    outcome({
      id,
      gateway: preset.id,
      file: target.file,
      profile: profile ?? null,
      active: use,
      model: answers.model ?? null,
      status: plan.outcome.status,
      dryRun: Boolean(flags.dryRun),
      written,
      files,
      next: nextSteps(answers, plan, ctx.env),
    });
  const planned = () =>
    plan.plans.map((p) => ({
      file: p.file,
      changed: p.after !== (p.before ?? ''),
      created: p.before === undefined,
      backup: null,
    }));
  if (keyStore && key.value !== undefined) {
    const save = await import('../keys/save.ts');
    save.assertKey(key.value, id);
    save.announceKeySave(keyStore, key.value, ctx);
  }
  if (plan.plans.length === 0) {
    if (keyStore && key.value !== undefined && !flags.dryRun) await keyStore.save(key.value);
    if (flags.json) return result([], false);
    say(`Nothing to change: ${target.label} already has provider "${id}" with these settings.`);
    printRouting();
    printNext();
    return EXIT.ok;
  }

  say('');
  const verb =
    plan.outcome.status === 'replaced' ? 'Update' : plan.outcome.status === 'added' ? 'Add' : 'Keep';
  say(
    `${c.bold(`${verb} provider "${id}"`)} (${preset.displayName}, ${plan.table.base_url}) in ${target.label}`,
  );
  for (const d of plan.outcome.status === 'replaced' ? plan.outcome.differences : []) say(c.dim(`    ${d}`));
  if (use) {
    say(`  and make it the active provider${answers.model ? ` with model "${answers.model}"` : ''}.`);
  }
  if (plan.keyPlan && !plan.keyPlan.unchanged) {
    say(`${c.bold(`Store ${envKey}`)} (${plan.keyPlan.masked}) in ${tilde(plan.keyPlan.valueFile, ctx)}.`);
  }
  for (const n of plan.keyPlan?.notes ?? []) say(c.dim(n));
  const configPlans = plan.plans.includes(plan.configPlan) ? [plan.configPlan] : [];
  if (!flags.json) {
    ctx.stdout.write(formatPlannedDiff(configPlans, ctx.color));
    // The rc diff is masked: the key never reaches the terminal.
    ctx.stdout.write(formatEditsDiff(plan.keyPlan?.edits ?? [], ctx.color));
  }

  if (flags.dryRun) {
    if (flags.json) return result(planned(), false);
    say(c.dim('Dry run: nothing was written.'));
    printRouting();
    printNext();
    return EXIT.ok;
  }
  if (!(await stepConfirm(sc))) {
    // A "no" is an answer, not an interruption: exit 1 (Ctrl-C is 130).
    say('Nothing was written.');
    return EXIT.failure;
  }

  // The key first, so the auth command the config gets finds it.
  if (keyStore && key.value !== undefined) await keyStore.save(key.value);
  // One transaction: the config and the rc file (and the secrets file) all land, or none does.
  const results = await (deps.commit ?? commitPlans)(plan.plans, ctx);
  for (const r of results) {
    if (!r.changed) continue;
    const backup = r.backup
      ? c.dim(` (previous version saved; undo with \`codexgw restore ${r.backup.name}\`)`)
      : '';
    say(`${r.created ? 'Created' : 'Updated'} ${tilde(r.file, ctx)}${backup}`);
  }
  if (flags.json) {
    const files = results.map((r) => ({
      file: r.file,
      changed: r.changed,
      created: r.created,
      backup: r.backup?.name ?? null,
    }));
    return result(files, true);
  }
  say(
    `${c.ok('✓')} ${preset.displayName} is set up as provider "${id}"${use ? (profile ? ` for codex --profile ${profile}` : ', the active provider') : ''}.`,
  );
  printRouting();
  printNext();
  return EXIT.ok;
}

/**
 * Flags that can be checked without asking anything are checked first, so a typo fails before
 * the first question rather than after the last one.
 */
function preflight(flags: InitFlags, ctx: Context): void {
  if (flags.keyStdin && ctx.stdin.isTTY) {
    throw new UsageError('--key-stdin reads the key from a pipe, but stdin is a terminal.', {
      hint: 'Leave --key-stdin out and type the key at the hidden prompt, or pipe it: printf %s "$KEY" | codexgw init --key-stdin …',
    });
  }
  if (flags.id !== undefined) {
    const check = checkProviderId(flags.id);
    if (!check.ok)
      throw new UsageError(check.message, {
        hint: check.hint.replace(/^Pick another id/, 'Pass another --id'),
      });
  }
  if (flags.envKey !== undefined) assertVarName(flags.envKey);
  parseHeaderFlags(flags.header, '--header');
  parseHeaderFlags(flags.envHeader, '--env-header');
  configTarget(ctx, flags.profile); // a bad --profile name, or a missing CODEX_HOME
  if (flags.gateway !== undefined && flags.gateway in PRESETS) {
    const preset = PRESETS[flags.gateway as GatewayId];
    if (flags.baseUrl !== undefined) {
      const r = preset.normalizeBaseUrl(flags.baseUrl);
      if (!r.ok) throw new UsageError(r.message, { hint: `${r.hint} (--base-url)` });
    }
    if (flags.model !== undefined) {
      const m = preset.checkModel(flags.model);
      if (m.level === 'error') throw new UsageError(m.message, { hint: `${m.hint} (--model)` });
    }
  }
}

/** All of stdin as the key; empty is an error here (nothing to store). */
async function readKeyFromStdin(ctx: Context): Promise<string> {
  const key = trimPastedKey(
    await readStdinSecret(ctx, 'the key', 'printf %s "$KEY" | codexgw init --key-stdin …'),
    ctx,
  );
  if (key === '') {
    throw new UsageError('--key-stdin was given, but stdin was empty.', {
      hint: 'Pipe the key: printf %s "$KEY" | codexgw init --key-stdin …',
    });
  }
  return key;
}

/** The gateway the active provider certainly points at: init's default gateway. */
function activeGateway(ctx: Context, profile: string | undefined): GatewayId | undefined {
  const loaded = loadConfig({ cwd: ctx.cwd, env: ctx.env, profile, onError: 'collect' });
  const active = loaded.merged.model_provider;
  if (typeof active !== 'string') return undefined;
  return certainGateway(providerTablesOf(loaded.merged)[active]);
}

/** A profile's table is merged over the user config's table of the same id: say so. */
function warnAboutShadowing(ctx: Context, id: string, profile: string): void {
  const user = configTarget(ctx, undefined);
  let table: Record<string, unknown> | undefined;
  try {
    table = providerTablesOf(readConfigSource(user.file).value)[id];
  } catch {
    // A broken user config is not init's to report here (it writes the profile file only).
    return;
  }
  if (!table) return;
  println(
    ctx.stderr,
    `${ctx.errColor.warn('note:')} ${user.label} also defines provider "${id}"; with --profile ${profile} Codex merges the two tables key by key, so fields set only there still apply.`,
  );
}

/** The key store for `--store` (keychain by default where usable); undefined: the rc file. */
async function keyStoreFor(flags: InitFlags, id: string, ctx: Context): Promise<KeySave | undefined> {
  const rcFlags = Boolean(flags.shell || flags.rcFile || flags.secretsFile);
  if (flags.store === 'rc' || (flags.store === undefined && rcFlags)) return undefined;
  const { chooseKeyDestination } = await import('../keys/destination.ts');
  const dest = await chooseKeyDestination(flags.store, rcFlags, id, ctx);
  return dest.kind === 'store' ? dest.save : undefined;
}

/** Which shell and file get the key; the block is read now, so a hand-edited one fails early. */
async function keyDestination(
  sc: StepContext,
  varName: string,
): Promise<{ shell: Shell | undefined; secretsFile: boolean }> {
  const { ctx, flags } = sc;
  let detected: Shell | undefined;
  if (flags.shell === undefined) {
    try {
      detected = detectShell(ctx.env);
    } catch (err) {
      if (!(err instanceof UsageError) || !mayAsk(sc)) throw err;
    }
  }
  const shell = await stepShell(sc, detected);
  const target = resolveEnvTarget({ shell, rcFile: flags.rcFile }, ctx);
  const state = readEnvState(target);
  const secretsFile = await stepKeyStore(sc, {
    varName,
    rcLabel: tilde(target.rcFile, ctx),
    secretsLabel: tilde(secretsFilePath(target.shell, ctx), ctx),
    alreadySourced: state.secrets !== undefined,
  });
  return { shell: target.shell, secretsFile };
}

/** Headers for the models request, as Codex would send them (env headers only when set). */
function requestHeaders(headers: HeadersAnswer, env: NodeJS.ProcessEnv): StringTable {
  const out: StringTable = { ...headers.http };
  for (const [name, variable] of Object.entries(headers.env)) {
    const v = env[variable];
    if (v !== undefined && v.trim() !== '') out[name] = v;
  }
  return out;
}

function queryParamsFor(
  gateway: GatewayId,
  url: BaseUrlAnswer,
  existing: Record<string, unknown> | undefined,
): StringTable {
  const kept = existing && existing.base_url === url.baseUrl ? stringTableOf(existing.query_params) : {};
  return { ...PRESETS[gateway].defaultQueryParams(url.baseUrl), ...kept, ...url.queryParams };
}

/** Listed as is, or as `<prefix>/<model>` (Portkey's catalog ids with the provider in a header). */
function isListed(model: string, listed: readonly string[]): boolean {
  return listed.some((m) => m === model || m.endsWith(`/${model}`));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
