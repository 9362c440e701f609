import { keyVarState } from '../app/key-hint.ts';
import { pinHere } from '../app/pins.ts';
import { profilesNote } from '../app/profiles.ts';
import { activeProvider } from '../checks/doctor/active.ts';
import { runDoctorChecks, summarizeChecks } from '../checks/doctor/index.ts';
import { defineSpec, JSON_OUTPUT, type OptionsOf, PROFILE } from '../command-spec.ts';
import type { LoadedConfig, Origin } from '../config/layers.ts';
import { isTable } from '../config/overrides.ts';
import { type Context, println, tilde } from '../context.ts';
import { gather } from '../doctor/gather.ts';
import { EXIT } from '../errors.ts';
import { PRESETS } from '../gateways/index.ts';

export const spec = defineSpec({
  summary: 'one screen: Codex version, active provider, model, where the key comes from, problems',
  options: {
    profile: { ...PROFILE, description: 'as `codex --profile <name>` would run' },
    json: JSON_OUTPUT,
  },
  examples: ['codexgw status', 'codexgw status -p team --json'],
  help: 'Exit codes: 0 (also when doctor would find problems; `codexgw doctor` exits 1 then), 3 CODEX_HOME is missing.',
});

/** Where a value is set: `file:line`, or `-c override`; null when Codex uses its default. */
type Where = { file: string | null; line: number | null } | null;

export interface StatusResult {
  codex: { path: string | null; version: string | null; problem: string | null };
  provider: { id: string; gateway: string | null; builtin: boolean; setAt: Where; definedAt: Where };
  model: { value: string | null; setAt: Where };
  key: {
    /** `env_key` (a variable), `token` (experimental_bearer_token in a file), `auth` (a command), `openai` (Codex's own login), `none`. */
    source: 'env_key' | 'token' | 'auth' | 'openai' | 'none';
    variable: string | null;
    /** Where the variable is: this shell, only codexgw's rc block, or nowhere. */
    state: 'env' | 'rc-block' | 'missing' | null;
    /** Whether Codex started here would have a key. */
    resolves: boolean;
  };
  profile: string | null;
  /** The pin of this project (`codexgw pin`): the profile the codex wrapper runs here. */
  pin: { profile: string; root: string; file: string } | null;
  problems: { error: number; warning: number };
  /** A sentence about profile files when the user config alone selects no provider. */
  note: string | null;
}

export async function run(o: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const facts = await gather(
    { online: false, request: false, profile: o.profile, timeoutMs: 5000, overrides: [] },
    ctx,
  );
  if (facts.config.error) throw facts.config.error;
  const loaded = facts.config.loaded!;
  const summary = summarizeChecks(runDoctorChecks({ ...facts, fixed: undefined }));
  const version = facts.codex.version;
  const result: StatusResult = {
    codex: {
      path: facts.codex.path ?? null,
      version: version?.ok ? version.text : null,
      problem: facts.codex.path ? (version && !version.ok ? version.reason : null) : 'codex is not on PATH',
    },
    ...providerAndKey(loaded, ctx),
    profile: o.profile ?? null,
    pin: pinOf(loaded.home.dir, ctx.cwd),
    problems: { error: summary.error, warning: summary.warning },
    note: profilesNote(loaded, 'codexgw status') ?? null,
  };
  if (o.json) println(ctx.stdout, JSON.stringify(result, null, 2));
  else render(result, ctx);
  return EXIT.ok;
}

/** The `codexgw pin` that covers this directory (the codex wrapper applies it), if any. */
function pinOf(homeDir: string, cwd: string): StatusResult['pin'] {
  const here = pinHere(homeDir, cwd);
  return here.pin ? { profile: here.pin.profile, root: here.pin.root, file: here.file } : null;
}

function at(origin: Origin | undefined): Where {
  return origin ? { file: origin.file, line: origin.line } : null;
}

function providerAndKey(
  loaded: LoadedConfig,
  ctx: Context,
): Pick<StatusResult, 'provider' | 'model' | 'key'> {
  const active = activeProvider(loaded);
  const table = active.table;
  const model = typeof loaded.merged.model === 'string' ? loaded.merged.model : null;
  let key: StatusResult['key'] = { source: 'none', variable: null, state: null, resolves: false };
  if (table && typeof table.env_key === 'string') {
    const state = keyVarState(table.env_key, ctx);
    key = { source: 'env_key', variable: table.env_key, state, resolves: state === 'env' };
  } else if (table && typeof table.experimental_bearer_token === 'string') {
    key = {
      source: 'token',
      variable: null,
      state: null,
      resolves: table.experimental_bearer_token.trim() !== '',
    };
  } else if (table && isTable(table.auth)) {
    key = { source: 'auth', variable: null, state: null, resolves: true };
  } else if (!table || active.builtin || table.requires_openai_auth === true) {
    key = { source: 'openai', variable: null, state: null, resolves: true };
  }
  return {
    provider: {
      id: active.id,
      gateway: active.gateway ? active.gateway.gateway : null,
      builtin: active.builtin,
      setAt: at(active.origin),
      definedAt: at(active.tableOrigin),
    },
    model: { value: model, setAt: at(model === null ? undefined : loaded.originOf(['model'])) },
    key,
  };
}

function render(r: StatusResult, ctx: Context): void {
  const c = ctx.color;
  const where = (w: Where, none: string) =>
    c.dim(
      w
        ? w.file
          ? `set in ${tilde(w.file, ctx)}${w.line === null ? '' : `:${w.line}`}`
          : 'set by -c'
        : none,
    );
  const row = (label: string, text: string) => println(ctx.stdout, `${c.bold(label.padEnd(9))} ${text}`);
  row(
    'Codex',
    r.codex.version
      ? `${r.codex.version} ${c.dim(tilde(r.codex.path ?? '', ctx))}`
      : c.warn(r.codex.problem ?? 'unknown'),
  );
  const gateway = r.provider.gateway
    ? ` (${PRESETS[r.provider.gateway as keyof typeof PRESETS]?.displayName ?? r.provider.gateway})`
    : '';
  row('Provider', `${r.provider.id}${gateway}  ${where(r.provider.setAt, "Codex's default")}`);
  row(
    'Model',
    `${r.model.value ?? c.dim("(not set: Codex's default)")}  ${r.model.value ? where(r.model.setAt, '') : ''}`.trimEnd(),
  );
  row('Key', keyText(r.key, ctx));
  row('Profile', r.profile ? `${r.profile} (codex --profile ${r.profile})` : c.dim('none'));
  if (r.pin) row('Pinned', `${r.pin.profile} ${c.dim(`(codexgw pin for ${tilde(r.pin.root, ctx)})`)}`);
  const n = r.problems.error + r.problems.warning;
  row(
    'Problems',
    n === 0
      ? c.ok('none found')
      : `${r.problems.error ? c.danger(`${r.problems.error} error${r.problems.error === 1 ? '' : 's'}`) : '0 errors'}, ${r.problems.warning} warning${r.problems.warning === 1 ? '' : 's'}: run \`codexgw doctor${r.profile ? ` -p ${r.profile}` : ''}\``,
  );
  if (r.note) println(ctx.stderr, `${ctx.errColor.info('note:')} ${r.note}`);
}

function keyText(k: StatusResult['key'], ctx: Context): string {
  const c = ctx.color;
  switch (k.source) {
    case 'env_key':
      if (k.state === 'env') return `$${k.variable} ${c.ok('(set in this shell)')}`;
      if (k.state === 'rc-block')
        return `$${k.variable} ${c.warn("(in codexgw's rc block, not in this shell: open a new terminal)")}`;
      return `$${k.variable} ${c.danger('(not set)')}: codexgw env set ${k.variable}`;
    case 'token':
      return c.warn('a literal experimental_bearer_token in a config file');
    case 'auth':
      return "from the provider's auth command";
    case 'openai':
      return "Codex's own login (codex login) or OPENAI_API_KEY";
    default:
      return c.danger('none: the provider has no env_key');
  }
}
