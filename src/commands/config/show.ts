import { type Pin, pinHere } from '../../app/pins.ts';
import { profilesNote } from '../../app/profiles.ts';
import { newestRules } from '../../codex/rules.ts';
import { type CodexView, codexView } from '../../codex/view.ts';
import { defineSpec, JSON_OUTPUT, type OptionsOf, OVERRIDES, PROFILE } from '../../command-spec.ts';
import { type LoadedConfig, loadConfig } from '../../config/layers.ts';
import { resolveCodexHome } from '../../config/paths.ts';
import { flatten, toJson } from '../../config/render.ts';
import { formatKeyPath, formatValue } from '../../config/toml-format.ts';
import { type Context, println, tilde } from '../../context.ts';
import { EXIT } from '../../errors.ts';
import { isSecretPath, maskConfig } from '../../io/redact.ts';

export const spec = defineSpec({
  summary: 'print the merged config of every layer Codex would load here',
  options: {
    origin: { kind: 'flag', description: 'follow each value with the file:line it came from' },
    json: { ...JSON_OUTPUT, description: 'print JSON: {config, origins, layers, ignored}' },
    profile: PROFILE,
    config: OVERRIDES,
  },
  examples: ['codexgw config show --origin', 'codexgw config show --json -c model=o3'],
});

export async function run(options: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  // Inside a pinned project, codex (through the wrapper) runs with the pinned profile: show that.
  const pin =
    options.profile === undefined ? pinHere(resolveCodexHome(ctx.env, ctx.cwd).dir, ctx.cwd).pin : undefined;
  const loaded = loadConfig({
    cwd: ctx.cwd,
    env: ctx.env,
    profile: options.profile ?? pin?.profile,
    overrides: options.config,
  });
  // Values as Codex holds them: paths resolved, renamed keys and values written Codex's way.
  const view = codexView(loaded.merged, {
    rules: newestRules(),
    codexHome: loaded.home.dir,
    home: ctx.env.HOME,
  });
  if (options.json) {
    const pinned = pin ? { pin: { root: pin.root, profile: pin.profile } } : {};
    println(ctx.stdout, JSON.stringify({ ...showJson(loaded, view), ...pinned }, null, 2));
    return EXIT.ok;
  }
  printShow(loaded, view, Boolean(options.origin), ctx);
  const note = profilesNote(loaded, 'codexgw config show');
  if (note) println(ctx.stderr, `${ctx.errColor.info('note:')} ${note}`);
  if (pin) printPinNote(pin, ctx);
  return EXIT.ok;
}

function printPinNote(pin: Pin, ctx: Context): void {
  println(
    ctx.stdout,
    ctx.color.dim(
      `# Pinned: ${tilde(pin.root, ctx)} uses profile "${pin.profile}" (codexgw pin), so codex started here through the wrapper or codexgw run loads the layers above. Plain codex without the wrapper skips the profile layer.`,
    ),
  );
}

/** The `config show --json` document: merged config (Codex's view of it), origins, layers and ignored keys. */
export function showJson(loaded: LoadedConfig, view: CodexView) {
  const origins: Record<string, unknown> = Object.create(null); // keys come from files
  for (const [key, o] of loaded.origins()) origins[key] = o;
  return {
    config: toJson(maskConfig(view.value)),
    origins,
    layers: loaded.layers.map((l) => ({
      layer: l.kind,
      file: l.file,
      loaded: l.loaded && Boolean(l.file === null || l.source?.exists),
      reason: l.reason ?? (l.loaded ? 'loaded' : 'not loaded'),
    })),
    ignored: loaded.ignored.map((i) => ({
      key: i.key,
      file: i.file,
      line: i.line,
      column: i.column,
      reason: i.reason,
    })),
  };
}

function printShow(loaded: LoadedConfig, view: CodexView, withOrigin: boolean, ctx: Context): void {
  const c = ctx.color;
  const rows = flatten(view.value).map(([p, v]) => {
    const shown = isSecretPath(p, v) ? JSON.stringify(maskConfig(v, p)) : formatValue(v);
    return { key: formatKeyPath(p), value: shown, path: view.renamed.get(p.join('.')) ?? p };
  });
  if (rows.length === 0)
    println(ctx.stdout, c.dim('# The merged config is empty: Codex runs with its built-in defaults.'));
  const width = Math.min(60, Math.max(0, ...rows.map((r) => r.key.length + r.value.length + 3)));
  for (const r of rows) {
    const line = `${r.key} = ${r.value}`;
    if (!withOrigin) {
      println(ctx.stdout, line);
      continue;
    }
    const o = loaded.originOf(r.path);
    const where = o ? (o.file ? `${tilde(o.file, ctx)}:${o.line ?? '?'}` : '-c override') : '';
    println(ctx.stdout, `${line.padEnd(width)}  ${c.dim(`# ${o?.layer ?? '?'} ${where}`)}`);
  }
  println(ctx.stdout);
  println(ctx.stdout, c.dim('# Layers (lowest precedence first):'));
  for (const l of loaded.layers) {
    const name = l.file ? tilde(l.file, ctx) : '-c overrides';
    const state =
      l.loaded && (l.file === null || l.source?.exists) ? c.ok('loaded') : c.warn(l.reason ?? 'not loaded');
    println(ctx.stdout, c.dim(`#   ${l.kind.padEnd(8)} ${name}: `) + state);
  }
  for (const i of loaded.ignored) {
    println(ctx.stdout, c.warn(`# ignored: ${i.key} in ${tilde(i.file, ctx)}:${i.line ?? '?'}: ${i.reason}`));
  }
}
