/**
 * The questions of `codexgw init`, one function per step. Each takes the flags, what the config
 * already holds and an `Ask`, and returns the answer: the flag's value when given (checked, a
 * UsageError naming the flag when wrong), else the user's answer when codexgw may ask (checked by
 * the prompt's validate, so a bad answer is asked again), else the default, else a UsageError
 * naming the flag. No step reads files or the network; the orchestrator (commands/init.ts) does.
 */
import { isTable } from '../config/overrides.ts';
import { PROFILE_NAME } from '../config/paths.ts';
import type { Context } from '../context.ts';
import { UsageError, UserError } from '../errors.ts';
import {
  checkProviderId,
  detectGateway,
  GATEWAY_IDS,
  type GatewayId,
  type GatewayPreset,
  type HeaderSpec,
  isSecretHeaderName,
  type ModelCheck,
  type ModelCheckContext,
  PRESETS,
  type StringTable,
} from '../gateways/index.ts';
import { checkRoutingRuleInput, plainNameFor } from '../gateways/truefoundry.ts';
import type { HttpFailure } from '../io/http.ts';
import { trimPastedKey } from '../io/pasted-key.ts';
import type { Ask, Choice } from '../io/prompts.ts';
import { maskSecret } from '../io/redact.ts';
import { assertValue, assertVarName, SHELLS, type Shell, VAR_NAME } from '../shell/quote.ts';

import type { InitFlags } from './flags.ts';

export type { InitFlags };

export interface StepContext {
  ctx: Context;
  flags: InitFlags;
  ask: Ask;
}

type Table = Record<string, unknown>;

/** Whether a step may ask: a terminal, no CI, and no --yes (which takes every default). */
export function mayAsk(sc: StepContext): boolean {
  return sc.ctx.interactive && !sc.flags.yes;
}

/** A required answer that has no flag and no default, when codexgw may not ask. */
function missing(sc: StepContext, what: string, flag: string, example: string): UsageError {
  const why = sc.flags.yes
    ? '--yes takes defaults and there is none'
    : 'stdin is not a terminal (or CI is set)';
  return new UsageError(`${what} is required, and codexgw cannot ask for it: ${why}.`, {
    hint: `Pass ${flag}, e.g. ${example}.`,
  });
}

const asMessage = (message: string, hint: string) => `${message} ${hint}`;

export function stringOf(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** A provider table's string→string sub-table (http_headers, …), ignoring non-string values. */
export function stringTableOf(v: unknown): StringTable {
  const out: StringTable = Object.create(null); // keys come from the file
  if (isTable(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** The `[model_providers.*]` tables of a parsed config file. */
export function providerTablesOf(config: Table): Record<string, Table> {
  const out: Record<string, Table> = Object.create(null); // ids come from the file
  const all = config.model_providers;
  if (isTable(all)) for (const [id, t] of Object.entries(all)) if (isTable(t)) out[id] = t;
  return out;
}

/** The gateway a provider table certainly points at (by host or path; env-key hints are guesses). */
export function certainGateway(table: Table | undefined): GatewayId | undefined {
  if (!table) return undefined;
  const d = detectGateway(table);
  return d && (d.by === 'host' || d.by === 'path') ? d.gateway : undefined;
}

/**
 * The id to suggest: an existing provider of this gateway in the target file (the active one
 * first), so a re-run updates it instead of adding a second id (sessions are filed under the id),
 * else the preset's id.
 */
export function suggestProviderId(preset: GatewayPreset, config: Table): string {
  const providers = providerTablesOf(config);
  const mine = Object.keys(providers).filter(
    (id) => checkProviderId(id).ok && detectGateway(providers[id]!)?.gateway === preset.id,
  );
  const active = config.model_provider;
  if (typeof active === 'string' && mine.includes(active)) return active;
  return mine[0] ?? preset.defaultProviderId;
}

/** `base-2`, `base-3`, … : the first id not taken. */
export function freeProviderId(base: string, taken: Record<string, unknown>): string {
  for (let n = 2; ; n++) if (!(`${base}-${n}` in taken)) return `${base}-${n}`;
}

// ---------------------------------------------------------------------------------------------
// 1. Gateway

export async function stepGateway(sc: StepContext, fallback?: GatewayId): Promise<GatewayId> {
  const flag = sc.flags.gateway;
  if (flag !== undefined) {
    if (!(GATEWAY_IDS as readonly string[]).includes(flag)) {
      throw new UsageError(`Unknown gateway "${flag}".`, {
        hint: `Pass --gateway ${GATEWAY_IDS.join('|')}.`,
      });
    }
    return flag as GatewayId;
  }
  if (!mayAsk(sc)) {
    if (fallback) return fallback;
    throw missing(
      sc,
      'The gateway',
      '--gateway <name>',
      `--gateway portkey (one of ${GATEWAY_IDS.join(', ')})`,
    );
  }
  return sc.ask.select<GatewayId>({
    message: 'Which gateway do you route Codex through?',
    flag: '--gateway <name>',
    choices: GATEWAY_IDS.map((id) => ({
      value: id,
      name: PRESETS[id].displayName,
      description: PRESETS[id].summary,
    })),
    default: fallback ?? 'portkey',
  });
}

// 2. Where (the file the provider goes to). Asked before the id: which ids exist depends on it.

export async function stepTarget(
  sc: StepContext,
  gateway: GatewayId,
  userLabel: string,
): Promise<string | undefined> {
  const flag = sc.flags.profile;
  if (flag !== undefined) {
    if (!PROFILE_NAME.test(flag)) {
      throw new UsageError(`Invalid profile name "${flag}".`, {
        hint: 'A profile name may use only letters, digits, "_" and "-" (Codex rejects anything else), e.g. --profile work.',
      });
    }
    return flag;
  }
  if (!mayAsk(sc)) return undefined;
  const where = await sc.ask.select<'user' | 'profile'>({
    message: 'Where should the provider go?',
    flag: '--profile <name>',
    choices: [
      { value: 'user', name: `Your user config (${userLabel})`, description: 'Every codex run uses it.' },
      {
        value: 'profile',
        name: 'A profile file ($CODEX_HOME/<name>.config.toml)',
        description: 'Only `codex --profile <name>` uses it; your default setup stays as it is.',
      },
    ],
    default: 'user',
  });
  if (where === 'user') return undefined;
  const name = await sc.ask.input({
    message: 'Profile name (for codex --profile <name>):',
    flag: '--profile <name>',
    default: gateway,
    validate: (v) =>
      PROFILE_NAME.test(v.trim()) || 'Use only letters, digits, "_" and "-" (Codex rejects anything else).',
  });
  return name.trim();
}

// 3. Base URL

export interface BaseUrlAnswer {
  /** Normalised: what Codex needs (no trailing slash, no endpoint suffix, no query). */
  baseUrl: string;
  /** Query parameters that were moved out of the URL. */
  queryParams: StringTable;
  /** What normalisation changed, to show the user. */
  notes: string[];
}

function checkUrl(preset: GatewayPreset, raw: string): BaseUrlAnswer | { error: string; hint: string } {
  const r = preset.normalizeBaseUrl(raw);
  if (!r.ok) return { error: r.message, hint: r.hint };
  return { baseUrl: r.baseUrl, queryParams: r.queryParams, notes: r.notes };
}

/** `previous`: the URL of the provider being updated (or asked again after a failed check). */
export async function stepBaseUrl(
  sc: StepContext,
  preset: GatewayPreset,
  previous?: string,
): Promise<BaseUrlAnswer> {
  const fromText = (raw: string, flag: boolean): BaseUrlAnswer => {
    const r = checkUrl(preset, raw);
    if ('error' in r) throw new UsageError(r.error, { hint: flag ? `${r.hint} (--base-url)` : r.hint });
    return r;
  };
  if (sc.flags.baseUrl !== undefined) return fromText(sc.flags.baseUrl, true);
  const fallback = previous ?? preset.defaultBaseUrl;
  if (!mayAsk(sc)) {
    if (fallback === undefined) {
      throw missing(
        sc,
        `The base URL of your ${preset.displayName} gateway`,
        '--base-url <url>',
        preset.baseUrlExample,
      );
    }
    return fromText(fallback, false);
  }
  const validate = (v: string) => {
    const r = checkUrl(preset, v);
    return 'error' in r ? asMessage(r.error, r.hint) : true;
  };
  const typeIt = async (def: string | undefined) => {
    sc.ask.say(preset.baseUrlHelp);
    return sc.ask.input({
      message: `${preset.displayName} base URL (Codex appends /responses):`,
      flag: '--base-url <url>',
      default: def,
      validate,
    });
  };
  let raw: string;
  const hosted = preset.defaultBaseUrl;
  const selfHosted = preset.selfHostedBaseUrl;
  if (previous === undefined && hosted && selfHosted && selfHosted !== hosted) {
    const pick = await sc.ask.select<string>({
      message: `Which ${preset.displayName} gateway?`,
      flag: '--base-url <url>',
      choices: [
        { value: hosted, name: `Hosted: ${hosted}` },
        { value: selfHosted, name: `Self-hosted, on this machine: ${selfHosted}` },
        { value: '', name: 'Another URL (enterprise, or self-hosted elsewhere)…' },
      ],
      default: hosted,
    });
    raw = pick !== '' ? pick : await typeIt(undefined);
  } else {
    raw = await typeIt(fallback);
  }
  return fromText(raw, false);
}

// 4. Provider id

export interface IdAnswer {
  id: string;
  /** Replace the gateway fields of an existing table of that id (its other fields and comments stay). */
  force: boolean;
  /** That existing table, when updating: later steps prefill from it. */
  existing?: Table | undefined;
}

export async function stepProviderId(
  sc: StepContext,
  preset: GatewayPreset,
  providers: Record<string, Table>,
  suggested: string,
  targetLabel: string,
): Promise<IdAnswer> {
  const validateNew = (v: string): true | string => {
    const c = checkProviderId(v.trim());
    return c.ok ? true : asMessage(c.message, c.hint);
  };
  let id: string;
  if (sc.flags.id !== undefined) {
    const c = checkProviderId(sc.flags.id);
    if (!c.ok)
      throw new UsageError(c.message, { hint: c.hint.replace(/^Pick another id/, 'Pass another --id') });
    id = sc.flags.id;
  } else if (!mayAsk(sc)) {
    id = suggested;
  } else {
    id = (
      await sc.ask.input({
        message: 'Provider id (keep it stable: Codex files your sessions under it):',
        flag: '--id <id>',
        default: suggested,
        validate: validateNew,
      })
    ).trim();
  }
  const existing = providers[id];
  if (!existing) return { id, force: false };
  // Any sign of another gateway (host, path, env_key, port) makes "update" a question worth asking.
  const other = detectGateway(existing)?.gateway;
  const sameGateway = other === undefined || other === preset.id;
  if (!mayAsk(sc)) {
    if (sameGateway) return { id, force: true, existing };
    throw new UsageError(
      `Provider "${id}" already exists in ${targetLabel} and points at ${PRESETS[other!].displayName}, not ${preset.displayName}.`,
      {
        hint: `Pass --id <new-id> to add ${preset.displayName} next to it (e.g. --id ${freeProviderId(id, providers)}).`,
      },
    );
  }
  const choice = await sc.ask.select<'update' | 'new'>({
    message: `Provider "${id}" already exists in ${targetLabel}. Update it, or add a new one?`,
    flag: '--id <id>',
    choices: [
      {
        value: 'update',
        name: `Update "${id}"`,
        description:
          'Its gateway settings are replaced; its other fields and comments stay, and so do your sessions.',
      },
      { value: 'new', name: 'Add a new provider with another id' },
    ],
    default: sameGateway ? 'update' : 'new',
  });
  if (choice === 'update') return { id, force: true, existing };
  const fresh = await sc.ask.input({
    message: 'New provider id:',
    flag: '--id <id>',
    default: freeProviderId(id, providers),
    validate: (v) => {
      const ok = validateNew(v);
      if (ok !== true) return ok;
      return providers[v.trim()]
        ? `"${v.trim()}" exists too; pick an id that is not in ${targetLabel}.`
        : true;
    },
  });
  return { id: fresh.trim(), force: false };
}

// 5. The key: its variable name, the value, where the shell gets it.

export async function stepEnvKey(sc: StepContext, preset: GatewayPreset, previous?: string): Promise<string> {
  if (sc.flags.envKey !== undefined) {
    assertVarName(sc.flags.envKey);
    return sc.flags.envKey;
  }
  const fallback = previous ?? preset.envKey;
  if (!mayAsk(sc)) return fallback;
  const name = await sc.ask.input({
    message: 'Environment variable that holds the API key (Codex reads it; env_key):',
    flag: '--env-key <VAR>',
    default: fallback,
    validate: (v) =>
      VAR_NAME.test(v.trim()) ||
      `Use letters, digits and "_", not starting with a digit (e.g. ${preset.envKey}).`,
  });
  return name.trim();
}

export type KeySource = 'stdin' | 'prompt' | 'environment' | 'none';

export interface KeyAnswer {
  /** The key; never printed (only its mask). */
  value?: string | undefined;
  source: KeySource;
  /** Store it in the shell rc (or the secrets file): typed or piped keys are, an inherited one is not. */
  store: boolean;
}

function valueProblem(value: string, varName: string): true | string {
  try {
    assertValue(value, varName);
    return true;
  } catch (err) {
    return err instanceof UsageError ? err.message : String(err);
  }
}

/**
 * `stdinKey`: what --key-stdin read. `rejected`: the gateway refused the key just tried, so the
 * one in the environment is not offered again.
 */
export async function stepKey(
  sc: StepContext,
  preset: GatewayPreset,
  varName: string,
  opts: { stdinKey?: string | undefined; rejected?: boolean } = {},
): Promise<KeyAnswer> {
  if (opts.stdinKey !== undefined) {
    assertValue(opts.stdinKey, varName);
    return { value: opts.stdinKey, source: 'stdin', store: true };
  }
  const current = sc.ctx.env[varName];
  const inEnv = current !== undefined && current.trim() !== '' && !opts.rejected;
  if (!mayAsk(sc)) {
    return inEnv ? { value: current, source: 'environment', store: false } : { source: 'none', store: false };
  }
  if (inEnv) {
    const keep = await sc.ask.confirm({
      message: `${varName} is already set in this shell (${maskSecret(current!)}). Use that key?`,
      flag: '--key-stdin',
      default: true,
    });
    if (keep) return { value: current, source: 'environment', store: false };
  }
  sc.ask.say(preset.keyHelp);
  const typed = await sc.ask.secret({
    message: `${preset.displayName} API key for ${varName} (input hidden; leave empty to add it later):`,
    flag: '--key-stdin',
    validate: (v) => (v.trim() === '' ? true : valueProblem(v.trim(), varName)),
  });
  const value = trimPastedKey(typed, sc.ctx);
  return value === '' ? { source: 'none', store: false } : { value, source: 'prompt', store: true };
}

/** The shell whose rc file gets the key; asked only when $SHELL does not say. */
export async function stepShell(sc: StepContext, detected: Shell | undefined): Promise<Shell | undefined> {
  if (sc.flags.shell !== undefined || detected !== undefined) return (sc.flags.shell as Shell) ?? detected;
  if (!mayAsk(sc)) return undefined;
  return sc.ask.select<Shell>({
    message: 'Which shell do you use? ($SHELL is not set)',
    flag: '--shell <shell>',
    choices: SHELLS.map((s) => ({ value: s, name: s })),
    default: 'bash',
  });
}

/** Keep the key in the rc block itself, or in the 0600 secrets file the block sources. */
export async function stepKeyStore(
  sc: StepContext,
  opts: { varName: string; rcLabel: string; secretsLabel: string; alreadySourced: boolean },
): Promise<boolean> {
  if (sc.flags.secretsFile) return true;
  // A block that already sources a secrets file keeps using it (planStoreKey decides).
  if (opts.alreadySourced || !mayAsk(sc)) return false;
  return sc.ask.select<boolean>({
    message: `Where should ${opts.varName} be kept?`,
    flag: '--secrets-file',
    choices: [
      { value: false, name: `In ${opts.rcLabel}, in a block codexgw manages` },
      {
        value: true,
        name: `In ${opts.secretsLabel} (only you can read it), sourced from ${opts.rcLabel}`,
        description: 'Better when your rc file is in a dotfiles repository or readable by others.',
      },
    ],
    default: false,
  });
}

/** What to do when `GET <base>/models` failed. Non-interactively, a rejected key is an error. */
export type GatewayProblemAction = 'key' | 'url' | 'retry' | 'skip';

export async function stepGatewayProblem(
  sc: StepContext,
  failure: HttpFailure,
  keySource: KeySource,
): Promise<GatewayProblemAction> {
  const rejected = failure.kind === 'unauthorized' || failure.kind === 'forbidden';
  if (!mayAsk(sc)) {
    if (rejected) {
      const how =
        keySource === 'environment'
          ? 'the key in the environment'
          : keySource === 'stdin'
            ? 'the key read from stdin'
            : 'the key';
      throw new UserError(`The gateway rejected ${how}: ${failure.message} Nothing was written.`, {
        hint: failure.hint,
      });
    }
    return 'skip';
  }
  sc.ask.say(`${failure.message}\n  fix: ${failure.hint}`);
  const choices: Choice<GatewayProblemAction>[] = rejected
    ? [
        { value: 'key', name: 'Enter the key again' },
        { value: 'url', name: 'Change the base URL' },
        { value: 'skip', name: 'Keep this key and type the model name myself' },
      ]
    : [
        { value: 'url', name: 'Change the base URL' },
        { value: 'retry', name: 'Try again' },
        { value: 'key', name: 'Enter another key' },
        { value: 'skip', name: 'Continue without the model list (type the model name)' },
      ];
  return sc.ask.select<GatewayProblemAction>({
    message: rejected
      ? 'The gateway rejected the key. What now?'
      : 'The gateway could not be reached. What now?',
    flag: '--model <name>',
    choices,
    default: choices[0]!.value,
  });
}

// 6. Model

export interface RoutingRuleAnswer {
  /** The plain name Codex sends. */
  model: string;
  /** The `<provider-account>/<model>` the rule routes it to. */
  target: string;
  /** True when `model` is what goes into config.toml (else the qualified name stays, and this is advice). */
  applied: boolean;
}

export interface ModelAnswer {
  model?: string | undefined;
  /** A header the model step adds (Portkey: the provider slug that lets the model stay plain). */
  header?: readonly [string, string] | undefined;
  routingRule?: RoutingRuleAnswer | undefined;
}

/** The listed models matching what the user typed, and the typed text itself when not listed. */
export function modelChoices(listed: readonly string[], term: string): Choice<string>[] {
  const t = term.trim();
  const needle = t.toLowerCase();
  const hits = listed.filter((m) => m.toLowerCase().includes(needle)).map((m) => ({ value: m, name: m }));
  if (t !== '' && !listed.includes(t))
    hits.push({ value: t, name: `${t} (as typed; not in the gateway's list)` });
  return hits;
}

export function modelProblem(check: ModelCheck): true | string {
  return check.level === 'error' ? asMessage(check.message, check.hint) : true;
}

export async function stepModel(
  sc: StepContext,
  preset: GatewayPreset,
  opts: {
    /** Model ids the gateway listed for this key, when it could be asked. */
    listed?: readonly string[] | undefined;
    /** The model of the provider being updated. */
    previous?: string | undefined;
    /** The headers known so far (Portkey's check looks for its routing headers). */
    headers: ModelCheckContext;
    /** False with --no-use: the model is not written then, so none is needed. */
    required: boolean;
  },
): Promise<ModelAnswer> {
  const check = (m: string) => preset.checkModel(m, opts.headers);
  const flag = sc.flags.model;
  if (flag !== undefined) {
    const c = check(flag);
    if (c.level === 'error') throw new UsageError(c.message, { hint: `${c.hint} (--model)` });
    // An explicit --model is written as given; a gateway fix is only advised (see the final checks).
    if (c.level === 'warning' && c.fix?.kind === 'truefoundry-routing-rule') {
      return { model: flag, routingRule: { model: c.fix.model, target: c.fix.target, applied: false } };
    }
    return { model: flag };
  }
  if (!mayAsk(sc)) {
    if (opts.previous !== undefined) return { model: opts.previous };
    if (!opts.required) return {};
    throw missing(sc, 'The model', '--model <name>', `--model ${preset.modelExample.split(' ')[0]}`);
  }
  const validate = (m: string) => modelProblem(check(m.trim()));
  let model: string;
  if (opts.listed && opts.listed.length > 0) {
    const listed = opts.listed;
    if (preset.models.note) sc.ask.say(preset.models.note);
    model = await sc.ask.search<string>({
      message: `Model (${listed.length} listed by the gateway; type to filter):`,
      flag: '--model <name>',
      source: (term) => modelChoices(listed, term),
      validate,
    });
  } else {
    sc.ask.say(preset.modelHelp);
    model = await sc.ask.input({
      message: `Model (e.g. ${preset.modelExample.split(' ')[0]}):`,
      flag: '--model <name>',
      default: opts.previous,
      validate: (m) => (m.trim() === '' ? 'Give the model id the gateway expects.' : validate(m)),
    });
  }
  model = model.trim();
  const c = check(model);
  if (c.level !== 'warning') return { model };
  sc.ask.say(c.message);
  if (c.fix?.kind === 'portkey-provider-header') {
    const fix = c.fix;
    const yes = await sc.ask.confirm({
      message: `Send ${fix.header}: ${fix.value} and use the plain model "${fix.model}" (Codex keeps its model metadata)?`,
      flag: `--model ${fix.model} --header ${fix.header}=${fix.value}`,
      default: true,
    });
    return yes ? { model: fix.model, header: [fix.header, fix.value] } : { model };
  }
  if (c.fix?.kind === 'truefoundry-routing-rule') {
    const fix = c.fix;
    const yes = await sc.ask.confirm({
      message: `Use the plain name "${fix.model}" and route it to ${fix.target} with a TrueFoundry routing rule (codexgw prints the rule)?`,
      flag: `--model ${fix.model}`,
      default: true,
    });
    return {
      model: yes ? fix.model : model,
      routingRule: { model: fix.model, target: fix.target, applied: yes },
    };
  }
  if (c.code === 'needs-routing-rule' && preset.id === 'truefoundry') {
    const candidates = (opts.listed ?? []).filter((m) => m.includes('/') && plainNameFor(m) === model);
    const target = (
      await sc.ask.input({
        message: `Which TrueFoundry model should "${model}" route to? (<provider-account>/<model>, to print the rule; empty if your rule exists)`,
        flag: `--model <provider-account>/${model}`,
        default: candidates[0],
        validate: (v) => {
          if (v.trim() === '') return true;
          try {
            checkRoutingRuleInput({ model, target: v.trim() });
            return true;
          } catch (err) {
            return err instanceof UsageError
              ? `${err.message.replace(/^--target /, '')} ${err.hint ?? ''}`
              : String(err);
          }
        },
      })
    ).trim();
    return target === '' ? { model } : { model, routingRule: { model, target, applied: true } };
  }
  return { model };
}

// 7. Headers

export interface HeadersAnswer {
  /** Static headers (http_headers): never secrets. */
  http: StringTable;
  /** Header → environment variable (env_http_headers): secrets, or values that change per shell. */
  env: StringTable;
}

/** Gateway headers whose values are JSON objects. */
const JSON_HEADERS = /(^|-)(metadata|logging-config)$/i;

/** Why a static header value cannot be used, or true. */
export function headerValueProblem(name: string, value: string): true | string {
  if (value.trim() === '') return `The value of ${name} is empty.`;
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return `The value of ${name} has control characters.`;
  if (JSON_HEADERS.test(name)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    if (!isTable(parsed)) {
      return `${name} must be a JSON object, e.g. {"team":"platform","_environment":"dev"}.`;
    }
  }
  return true;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function headerNameProblem(name: string, kind: 'static' | 'env'): true | string {
  if (!HEADER_NAME.test(name)) return 'Header names use letters, digits and "-", e.g. x-portkey-config.';
  if (kind === 'static' && isSecretHeaderName(name)) {
    return `${name} carries a credential; add it from an environment variable instead (it never goes into config.toml).`;
  }
  return true;
}

/** `K=V` pairs of --header / --env-header (the first "=" splits). */
export function parseHeaderFlags(
  values: readonly string[] | undefined,
  flag: '--header' | '--env-header',
): StringTable {
  const out: StringTable = Object.create(null); // a `__proto__` name stays a name
  for (const raw of values ?? []) {
    const eq = raw.indexOf('=');
    const name = eq > 0 ? raw.slice(0, eq).trim() : '';
    if (name === '') {
      throw new UsageError(`${flag} expects NAME=${flag === '--header' ? 'VALUE' : 'VAR'}, got "${raw}".`, {
        hint:
          flag === '--header'
            ? 'e.g. --header x-portkey-provider=@openai-prod'
            : 'e.g. --env-header x-portkey-config=PORTKEY_CONFIG',
      });
    }
    const value = raw.slice(eq + 1).trim();
    const nameProblem = headerNameProblem(name, flag === '--header' ? 'static' : 'env');
    if (nameProblem !== true) {
      throw new UsageError(`${flag} ${name}: ${nameProblem}`, {
        hint: isSecretHeaderName(name)
          ? `Pass --env-header ${name}=VAR_NAME and keep the value in that variable (codexgw env set VAR_NAME).`
          : 'Use a valid HTTP header name.',
      });
    }
    if (flag === '--header') {
      // The value is deliberately not repeated: a pasted secret would land in the output.
      const p = headerValueProblem(name, value);
      if (p !== true)
        throw new UsageError(`${p} (--header ${name}=…)`, { hint: 'Quote the value for your shell.' });
    } else if (!VAR_NAME.test(value)) {
      throw new UsageError(`--env-header ${name} must name an environment variable.`, {
        hint: `Pass --env-header ${name}=VAR_NAME; the value itself goes into the variable (codexgw env set VAR_NAME).`,
      });
    }
    out[name] = value;
  }
  return out;
}

/** The suggested environment variable for a header (x-portkey-config → X_PORTKEY_CONFIG). */
function envVarFor(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

export async function stepHeaders(
  sc: StepContext,
  preset: GatewayPreset,
  initial: HeadersAnswer,
): Promise<HeadersAnswer> {
  const http = { ...initial.http };
  const env = { ...initial.env };
  if (!mayAsk(sc)) return { http, env };
  const flag = '--header NAME=VALUE / --env-header NAME=VAR';
  const has = (name: string) =>
    [...Object.keys(http), ...Object.keys(env)].some((h) => h.toLowerCase() === name.toLowerCase());
  const askValue = (name: string, spec?: HeaderSpec) =>
    sc.ask.input({
      message: `Value of ${name}${spec?.example ? ` (e.g. ${spec.example})` : ''}:`,
      flag,
      validate: (v) => headerValueProblem(name, v.trim()),
    });
  const askVar = (name: string, suggested: string) =>
    sc.ask.input({
      message: `Environment variable that holds ${name}:`,
      flag,
      default: suggested,
      validate: (v) => VAR_NAME.test(v.trim()) || 'Use letters, digits and "_", not starting with a digit.',
    });
  for (;;) {
    const current = [
      ...Object.entries(http).map(([k, v]) => `${k}: ${v}`),
      ...Object.entries(env).map(([k, v]) => `${k}: from $${v}`),
    ];
    if (current.length > 0)
      sc.ask.say(`Headers sent with every request:\n${current.map((l) => `  ${l}`).join('\n')}`);
    const specs = preset.headers.filter((s) => !has(s.name));
    const pick = await sc.ask.select<string>({
      message: 'Add an HTTP header to every request? (routing config, metadata for cost attribution, …)',
      flag,
      choices: [
        { value: 'done', name: current.length > 0 ? 'No more headers' : 'No extra headers' },
        ...specs.map((s) => ({ value: `spec:${s.name}`, name: s.name, description: s.description })),
        { value: 'static', name: 'Another header with a fixed value…' },
        {
          value: 'env',
          name: 'Another header from an environment variable (for secrets)…',
          description: 'config.toml then names the variable; the value stays in your shell.',
        },
        ...(current.length > 0 ? [{ value: 'remove', name: 'Remove a header…' }] : []),
      ],
      default: 'done',
    });
    if (pick === 'done') return { http, env };
    if (pick === 'remove') {
      const name = await sc.ask.select<string>({
        message: 'Remove which header?',
        flag,
        choices: [...Object.keys(http), ...Object.keys(env)].map((h) => ({ value: h, name: h })),
      });
      delete http[name];
      delete env[name];
      continue;
    }
    if (pick.startsWith('spec:')) {
      const spec = preset.headers.find((s) => `spec:${s.name}` === pick)!;
      const secret = isSecretHeaderName(spec.name);
      let how: 'static' | 'env' = secret ? 'env' : spec.source;
      if (!secret) {
        how = await sc.ask.select<'static' | 'env'>({
          message: `How should ${spec.name} be sent?`,
          flag,
          choices: [
            { value: 'static', name: 'A fixed value, written to config.toml (not for secrets)' },
            {
              value: 'env',
              name: `From an environment variable ($${spec.envVar ?? envVarFor(spec.name)})`,
              description: 'Lets each shell or project set its own value.',
            },
          ],
          default: spec.source,
        });
      }
      if (how === 'static') http[spec.name] = (await askValue(spec.name, spec)).trim();
      else env[spec.name] = (await askVar(spec.name, spec.envVar ?? envVarFor(spec.name))).trim();
      continue;
    }
    const name = (
      await sc.ask.input({
        message: 'Header name:',
        flag,
        validate: (v) => {
          const p = headerNameProblem(v.trim(), pick === 'static' ? 'static' : 'env');
          if (p !== true) return p;
          return has(v.trim()) ? `${v.trim()} is already set; remove it first to change it.` : true;
        },
      })
    ).trim();
    if (pick === 'static') http[name] = (await askValue(name)).trim();
    else env[name] = (await askVar(name, envVarFor(name))).trim();
  }
}

// 8. Make it active; then the one confirmation.

export async function stepUse(sc: StepContext, id: string, targetLabel: string): Promise<boolean> {
  if (sc.flags.use !== undefined) return sc.flags.use;
  if (!mayAsk(sc)) return true;
  return sc.ask.confirm({
    message: `Make "${id}" the active provider (model_provider) in ${targetLabel}?`,
    flag: '--use / --no-use',
    default: true,
  });
}

export async function stepConfirm(sc: StepContext): Promise<boolean> {
  if (sc.flags.yes) return true;
  if (!sc.ctx.interactive) {
    throw new UsageError('init shows its changes and asks before writing, but it cannot ask here.', {
      hint: 'Pass --yes to write these changes (or --dry-run to only show them).',
    });
  }
  return sc.ask.confirm({ message: 'Write these changes?', flag: '--yes', default: true });
}
