import { editTarget, planSet } from '../../app/config-edit.ts';
import { unknownProvider } from '../../app/providers.ts';
import { applyPlansReport, planConfigEdit, type WriteReport } from '../../app/write-config.ts';
import { DRY_RUN, defineSpec, JSON_OUTPUT, type OptionsOf, PROFILE } from '../../command-spec.ts';
import { loadConfig } from '../../config/layers.ts';
import { knownProviderIds } from '../../config/providers.ts';
import { toJson } from '../../config/render.ts';
import { formatKeyPath, formatValue } from '../../config/toml-format.ts';
import { type Context, println } from '../../context.ts';
import { EXIT } from '../../errors.ts';

export const spec = defineSpec({
  summary: 'set one key in a config file, checked against Codex rules first',
  args: [
    { name: 'key', required: true, description: 'a dotted key, segments quoted as in TOML' },
    {
      name: 'value',
      required: true,
      description: 'a TOML value (true, 3, "x", ["a"]); anything else is a string',
    },
  ],
  options: {
    profile: { ...PROFILE, description: 'write to $CODEX_HOME/<name>.config.toml' },
    project: { kind: 'flag', description: "write to the project's .codex/config.toml" },
    force: { kind: 'flag', description: 'write a key Codex ignores (unknown, or ignored) anyway' },
    dryRun: DRY_RUN,
    json: JSON_OUTPUT,
  },
  examples: [
    'codexgw config set model_reasoning_effort high',
    'codexgw config set sandbox_mode workspace-write -p work',
    "codexgw config set 'model_providers.portkey.request_max_retries' 4 --dry-run",
  ],
  help: 'Exit codes: 0 written (or already so), 2 refused (a value Codex rejects, a key it ignores): nothing written, 3 file error.',
});

export interface ConfigSetResult {
  file: string;
  key: string;
  value: unknown;
  previous: unknown;
  write: WriteReport | null;
}

export async function run(o: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const target = editTarget(ctx, o);
  const planned = planSet(target, o.key, o.value, { force: o.force });
  if (
    planned.keyPath.length === 1 &&
    planned.keyPath[0] === 'model_provider' &&
    typeof planned.value === 'string'
  ) {
    const loaded = loadConfig({ cwd: ctx.cwd, env: ctx.env, profile: o.profile });
    const known = knownProviderIds(loaded);
    if (!known.includes(planned.value)) throw unknownProvider(planned.value, known);
  }
  const result: ConfigSetResult = {
    file: target.file,
    key: formatKeyPath(planned.keyPath),
    value: toJson(planned.value),
    previous: planned.previous === undefined ? null : toJson(planned.previous),
    write: null,
  };
  if (planned.doc.changed) {
    const plan = planConfigEdit(target, (doc) => doc.set(planned.keyPath, planned.value));
    result.write = await applyPlansReport([plan], ctx, {
      dryRun: o.dryRun,
      json: o.json,
      parsed: [planned.source],
    });
  }
  if (o.json) println(ctx.stdout, JSON.stringify(result, null, 2));
  else if (!result.write)
    println(
      ctx.stderr,
      `${result.key} is already ${formatValue(planned.value)} in ${target.label}. Nothing to change.`,
    );
  else {
    const verb = result.write.dryRun ? 'Would set' : 'Set';
    println(
      ctx.stderr,
      `${ctx.errColor.ok('✓')} ${verb} ${result.key} = ${formatValue(planned.value)} in ${target.label}.`,
    );
  }
  return EXIT.ok;
}
