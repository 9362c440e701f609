/**
 * From the wizard's answers to the planned writes: the provider table, the config edit, the key
 * in the shell rc (or the secrets file), and what to tell the user afterwards. Nothing here asks
 * or writes; planning only reads the files it will change (the safe-write layer re-reads them
 * under its locks when it commits).
 */

import { type ConfigTarget, configTarget, planConfigEdit } from '../app/write-config.ts';
import { type AddProviderOutcome, addProvider } from '../config/provider-edit.ts';
import type { Context } from '../context.ts';
import {
  buildProvider,
  type GatewayId,
  type ModelCheck,
  PRESETS,
  type ProviderTable,
  type StringTable,
} from '../gateways/index.ts';
import { routingRuleYaml } from '../gateways/truefoundry.ts';
import type { PlannedWrite } from '../io/safe-write.ts';
import type { PlannedTomlWrite } from '../io/toml-file.ts';
import type { KeySave } from '../keys/save.ts';
import { activateHint, type KeyPlan, planStoreKey } from '../shell/key.ts';
import type { Shell } from '../shell/quote.ts';
import type { BaseUrlAnswer, HeadersAnswer, KeyAnswer, RoutingRuleAnswer } from './steps.ts';

export interface InitAnswers {
  gateway: GatewayId;
  /** Profile name, or undefined for the user config. */
  profile: string | undefined;
  baseUrl: BaseUrlAnswer;
  id: string;
  /** Update an existing table of that id. */
  force: boolean;
  /** The existing table being updated: its name and (same URL) query_params are kept. */
  existing?: Record<string, unknown> | undefined;
  envKey: string;
  key: KeyAnswer;
  /** Where the key goes when it is stored. */
  shell?: Shell | undefined;
  rcFile?: string | undefined;
  secretsFile: boolean;
  /** Set when the key goes to the keychain or the key file (the provider gets an auth table). */
  keyStore?: KeySave | undefined;
  model?: string | undefined;
  headers: HeadersAnswer;
  use: boolean;
  routingRule?: RoutingRuleAnswer | undefined;
}

export interface InitPlan {
  target: ConfigTarget;
  table: ProviderTable;
  /** Notes from building the table (URL normalisation), deduplicated. */
  notes: string[];
  configPlan: PlannedTomlWrite;
  outcome: AddProviderOutcome;
  keyPlan?: KeyPlan | undefined;
  /** Everything to commit, as one transaction: the config file first, then the rc edits. */
  plans: PlannedWrite[];
  /** The model checked against the finished table (Portkey's check looks at its headers). */
  modelCheck: ModelCheck | undefined;
}

function stringTable(v: unknown): StringTable {
  const out: StringTable = Object.create(null); // keys come from the file
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  }
  return out;
}

/** The provider table the answers describe (a UsageError for anything Codex would reject). */
export function providerTableOf(answers: InitAnswers): { table: ProviderTable; notes: string[] } {
  const preset = PRESETS[answers.gateway];
  const existing = answers.existing;
  const name = typeof existing?.name === 'string' && existing.name.trim() !== '' ? existing.name : undefined;
  // Query parameters the user set by hand stay when the URL they go with stays.
  const keptQuery =
    existing && existing.base_url === answers.baseUrl.baseUrl ? stringTable(existing.query_params) : {};
  const built = buildProvider(preset, {
    name,
    baseUrl: answers.baseUrl.baseUrl,
    envKey: answers.envKey,
    httpHeaders: answers.headers.http,
    envHttpHeaders: answers.headers.env,
    queryParams: { ...keptQuery, ...answers.baseUrl.queryParams },
  });
  return { table: built.table, notes: [...new Set([...answers.baseUrl.notes, ...built.notes])] };
}

export async function planInit(answers: InitAnswers, ctx: Context): Promise<InitPlan> {
  const { table, notes } = providerTableOf(answers);
  const target = configTarget(ctx, answers.profile);
  // The keychain code loads only when the key goes there.
  const setAuth = answers.keyStore ? (await import('../keys/provider-auth.ts')).setProviderAuth : undefined;
  let outcome: AddProviderOutcome = { status: 'added', differences: [] };
  const configPlan = planConfigEdit(target, (doc) => {
    outcome = addProvider(doc, {
      id: answers.id,
      table,
      force: answers.force,
      use: answers.use,
      model: answers.model,
    });
    if (answers.keyStore) setAuth?.(doc, answers.id, answers.keyStore.auth);
  });
  let keyPlan: KeyPlan | undefined;
  if (answers.key.store && answers.key.value !== undefined && !answers.keyStore) {
    keyPlan = await planStoreKey(
      {
        varName: answers.envKey,
        value: answers.key.value,
        shell: answers.shell,
        rcFile: answers.rcFile,
        secretsFile: answers.secretsFile,
      },
      ctx,
    );
  }
  const plans: PlannedWrite[] = [];
  if (configPlan.after !== configPlan.before) plans.push(configPlan);
  plans.push(...(keyPlan?.edits ?? []));
  const modelCheck =
    answers.model === undefined ? undefined : PRESETS[answers.gateway].checkModel(answers.model, table);
  return { target, table, notes, configPlan, outcome, keyPlan, plans, modelCheck };
}

/** The prompt of the first command to try. */
export const FIRST_PROMPT = 'explain this repository';

/** The codex command that uses the new setup. */
export function nextCommand(answers: Pick<InitAnswers, 'profile' | 'use' | 'id' | 'model'>): string {
  const parts = ['codex'];
  if (answers.profile) parts.push('--profile', answers.profile);
  if (!answers.use) {
    parts.push('-c', `model_provider=${answers.id}`);
    if (answers.model) parts.push('-m', shellWord(answers.model));
  }
  parts.push(`"${FIRST_PROMPT}"`);
  return parts.join(' ');
}

/**
 * What to do next, as lines: how to get the key into the shell (or set it at all), the command
 * to try, and how to switch later. Never contains the key.
 */
export function nextSteps(
  answers: InitAnswers,
  plan: Pick<InitPlan, 'keyPlan'>,
  env: NodeJS.ProcessEnv,
): string[] {
  const lines: string[] = [];
  const inShell = env[answers.envKey] !== undefined && env[answers.envKey]!.trim() !== '';
  const stored = plan.keyPlan !== undefined;
  if (answers.keyStore) {
    // Codex runs the auth command itself: nothing to load into the shell.
  } else if (stored && !(inShell && env[answers.envKey] === answers.key.value)) {
    lines.push(`Load ${answers.envKey} in this shell first. ${activateHint(plan.keyPlan!.target.shell)}`);
  } else if (!stored && !inShell) {
    lines.push(
      `Set your ${PRESETS[answers.gateway].displayName} key first (codex reads it from $${answers.envKey}): codexgw env set ${answers.envKey}`,
    );
  }
  for (const [name, variable] of Object.entries(answers.headers.env)) {
    const v = env[variable];
    if (v === undefined || v.trim() === '') {
      lines.push(`${name} is sent only while $${variable} is set: codexgw env set ${variable}`);
    }
  }
  lines.push(`Try it: ${nextCommand(answers)}`);
  if (!answers.use) {
    lines.push(
      `Make it the default later with: codexgw use ${answers.id}${answers.profile ? ` --profile ${answers.profile}` : ''}`,
    );
  }
  return lines;
}

/** The TrueFoundry routing rule to apply, with how to apply it (text for stdout). */
export function routingRuleText(
  rule: RoutingRuleAnswer,
  profile: string | undefined,
): { intro: string; yaml: string; after: string[] } {
  const file = 'codex-routing.yaml';
  return {
    intro: rule.applied
      ? `TrueFoundry must map "${rule.model}" to ${rule.target}: apply this routing rule (save it as ${file}):`
      : `To keep Codex's model metadata, apply this routing rule (save it as ${file}), then send the plain name:`,
    yaml: routingRuleYaml({ model: rule.model, target: rule.target }),
    after: [
      `tfy apply -f ${file}   (or paste it into the routing config in the TrueFoundry UI; add it to an existing config rather than replacing it)`,
      ...(rule.applied ? [] : [`codexgw model set ${rule.model}${profile ? ` --profile ${profile}` : ''}`]),
    ],
  };
}

/** Quote a word for a POSIX shell only when it needs it. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9@%_+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
