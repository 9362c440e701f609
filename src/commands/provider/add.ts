import { keyHint } from '../../app/key-hint.ts';
import { parsePairs } from '../../app/pairs.ts';
import { applyPlansReport, configTarget, planConfigEdit, type WriteReport } from '../../app/write-config.ts';
import {
  type CommandOutcome,
  outcome as commandOutcome,
  DRY_RUN,
  defineSpec,
  JSON_OUTPUT,
  KEY_STORE,
  type OptionsOf,
} from '../../command-spec.ts';
import { addProvider } from '../../config/provider-edit.ts';
import { type Context, println } from '../../context.ts';
import { EXIT, UsageError } from '../../errors.ts';
import { buildProvider, checkModelName, getPreset, resolveProviderId } from '../../gateways/index.ts';
import { GATEWAY_IDS } from '../../gateways/types.ts';
import { trimPastedKey } from '../../io/pasted-key.ts';
import type { PlannedWrite } from '../../io/safe-write.ts';
import { readStdinSecret } from '../../io/stdin.ts';
import { STORE_OPTION } from '../../keys/store-option.ts';
import { formatEditsDiff } from '../../shell/apply.ts';
import { planStoreKey } from '../../shell/key.ts';
import { printKeyReport } from '../../shell/report.ts';

export const spec = defineSpec({
  summary: `add [model_providers.<id>] from a gateway preset (${GATEWAY_IDS.join(', ')})`,
  args: [{ name: 'gateway', required: true }],
  options: {
    id: {
      kind: 'value',
      value: 'id',
      description: 'provider id (default: the gateway name); keep it stable, sessions are filed under it',
    },
    baseUrl: {
      kind: 'value',
      value: 'url',
      description: "the gateway's base URL (Codex appends /responses)",
    },
    envKey: { kind: 'value', value: 'VAR', description: 'environment variable holding the API key' },
    model: { kind: 'value', value: 'model', description: 'also set model (with --use)' },
    header: { kind: 'list', value: 'K=V', description: 'static HTTP header (repeatable)' },
    envHeader: {
      kind: 'list',
      value: 'K=VAR',
      description: 'HTTP header taken from an environment variable (repeatable)',
    },
    query: { kind: 'list', value: 'K=V', description: 'query parameter added to every request (repeatable)' },
    profile: {
      kind: 'value',
      short: 'p',
      value: 'name',
      description: 'write to $CODEX_HOME/<name>.config.toml instead of config.toml',
    },
    use: { kind: 'flag', description: 'also make it the active provider' },
    force: {
      kind: 'flag',
      description: 'change an existing provider of that id: the fields you pass replace, the others stay',
    },
    keyStdin: {
      kind: 'flag',
      description: "read the provider's API key from stdin (never argv) and store it (see --store)",
    },
    store: STORE_OPTION,
    dryRun: DRY_RUN,
    json: JSON_OUTPUT,
    ...KEY_STORE,
  },
  examples: [
    'codexgw provider add portkey --use --model gpt-5.5 --header x-portkey-provider=@openai-prod',
    'codexgw provider add truefoundry --base-url https://gateway.truefoundry.ai --id tfy',
  ],
});

/** `provider add --json`. */
export interface ProviderAddResult {
  id: string;
  gateway: string;
  file: string;
  status: 'added' | 'replaced' | 'unchanged';
  /** For a replace: one line per field changed. */
  differences: string[];
  active: boolean;
  write: WriteReport | null;
}

export async function run(
  options: OptionsOf<typeof spec>,
  ctx: Context,
): Promise<number | CommandOutcome<ProviderAddResult>> {
  const preset = getPreset(options.gateway);
  const id = resolveProviderId(preset, options.id);
  if (options.model !== undefined && !options.use) {
    throw new UsageError('--model needs --use: the model belongs to the active provider.', {
      hint: `Run: codexgw provider add ${preset.id} --use --model ${options.model}`,
    });
  }
  const { table, notes } = buildProvider(preset, {
    baseUrl: options.baseUrl,
    envKey: options.envKey,
    httpHeaders: parsePairs(options.header, '--header'),
    envHttpHeaders: parsePairs(options.envHeader, '--env-header'),
    queryParams: parsePairs(options.query, '--query'),
  });
  const c = ctx.errColor;
  for (const note of notes) println(ctx.stderr, c.dim(`note: ${note}`));
  if (options.model !== undefined) {
    const check = checkModelName(preset.id, options.model, table);
    if (check.level === 'error') throw new UsageError(check.message, { hint: check.hint });
    if (check.level === 'warning')
      println(ctx.stderr, `${c.warn('!')} ${check.message}\n  ${c.info('fix:')} ${check.hint}`);
  }

  const target = configTarget(ctx, options.profile);
  // The key store is decided (and said) before anything is written; the keychain code loads only here.
  let secret: string | undefined;
  let keyStore: import('../../keys/save.ts').KeySave | undefined;
  if (options.keyStdin) {
    secret = trimPastedKey(
      await readStdinSecret(
        ctx,
        'the key',
        `printf %s "$KEY" | codexgw provider add ${preset.id} --key-stdin`,
      ),
      ctx,
    );
    const keys = await import('../../keys/destination.ts');
    const rcFlags = Boolean(options.shell || options.rcFile || options.secretsFile);
    const dest = await keys.chooseKeyDestination(options.store, rcFlags, id, ctx);
    if (dest.kind === 'store') {
      const save = await import('../../keys/save.ts');
      save.assertKey(secret, id);
      save.announceKeySave(dest.save, secret, ctx);
      keyStore = dest.save;
    }
  }
  const setAuth = keyStore ? (await import('../../keys/provider-auth.ts')).setProviderAuth : undefined;
  let outcome: ReturnType<typeof addProvider> | undefined;
  const plan = planConfigEdit(target, (doc) => {
    outcome = addProvider(doc, {
      id,
      table,
      force: options.force,
      passed: passedFields(options),
      use: options.use,
      model: options.model,
    });
    if (keyStore && setAuth) setAuth(doc, id, keyStore.auth);
  });
  const plans: PlannedWrite[] = [plan];

  // An rc key goes to the shell rc (or the 0600 secrets file), never into config.toml, and in
  // the same transaction as the config: both land, or neither.
  let keyReport: (() => void) | undefined;
  if (secret !== undefined && !keyStore) {
    if (!table.env_key)
      throw new UsageError('--key-stdin needs an env_key to store the key under.', {
        hint: 'Pass --env-key VAR.',
      });
    const keyPlan = await planStoreKey(
      {
        varName: table.env_key,
        value: secret,
        shell: options.shell,
        rcFile: options.rcFile,
        secretsFile: options.secretsFile,
      },
      ctx,
    );
    plans.push(...keyPlan.edits);
    keyReport = () => printKeyReport(keyPlan, ctx, options.dryRun ? 'dry-run' : 'written');
    if (options.dryRun) {
      if (!options.json) ctx.stdout.write(formatEditsDiff(keyPlan.edits, ctx.color));
      plans.pop();
    }
  }

  if (keyStore && secret !== undefined && !options.dryRun) await keyStore.save(secret);
  const result = (write: WriteReport | null): ProviderAddResult => ({
    id,
    gateway: preset.id,
    file: target.file,
    status: outcome?.status ?? 'added',
    differences: outcome?.status === 'replaced' ? outcome.differences : [],
    active: Boolean(options.use),
    write,
  });
  if (outcome?.status === 'unchanged' && plans.length === 1 && plan.after === plan.before) {
    if (options.json) return commandOutcome(result(null));
    println(
      ctx.stderr,
      `Provider "${id}" already exists in ${target.label} with these values. Nothing to change.`,
    );
    return EXIT.ok;
  }
  const write = await applyPlansReport(plans, ctx, { dryRun: options.dryRun, json: options.json });
  keyReport?.();
  if (options.json) return commandOutcome(result(write));
  const written = !write.dryRun;
  const replaced = outcome?.status === 'replaced';
  const verb = written ? (replaced ? 'Replaced' : 'Added') : replaced ? 'Would replace' : 'Would add';
  println(
    ctx.stderr,
    `${c.ok('✓')} ${verb} provider "${id}" (${preset.displayName}, ${table.base_url}) in ${target.label}.`,
  );
  for (const d of outcome?.differences ?? [])
    if (outcome?.status === 'replaced') println(ctx.stderr, c.dim(`    ${d}`));
  if (options.use)
    println(
      ctx.stderr,
      c.dim(`It is now the active provider${options.model ? ` with model "${options.model}"` : ''}.`),
    );
  else
    println(
      ctx.stderr,
      c.dim(
        `Make it active with: codexgw use ${id}${options.profile ? ` --profile ${options.profile}` : ''}`,
      ),
    );
  const hint =
    table.env_key && !options.keyStdin ? keyHint(table.env_key, preset.displayName, ctx) : undefined;
  if (hint) println(ctx.stderr, `${c.warn('!')} ${hint}`);
  return EXIT.ok;
}

/** The provider fields this command line gives: with --force, only these replace what is there. */
function passedFields(o: OptionsOf<typeof spec>): Set<string> {
  const passed = new Set<string>();
  if (o.baseUrl !== undefined) passed.add('base_url');
  if (o.envKey !== undefined) passed.add('env_key');
  if (o.header?.length) passed.add('http_headers');
  if (o.envHeader?.length) passed.add('env_http_headers');
  if (o.query?.length) passed.add('query_params');
  return passed;
}
