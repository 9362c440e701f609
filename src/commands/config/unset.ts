import { editTarget } from '../../app/config-edit.ts';
import { applyPlansReport, planConfigEdit, type WriteReport } from '../../app/write-config.ts';
import { DRY_RUN, defineSpec, JSON_OUTPUT, type OptionsOf, PROFILE } from '../../command-spec.ts';
import { parseUserKey, toJson } from '../../config/render.ts';
import { readConfigSource } from '../../config/source.ts';
import { formatKeyPath, getIn } from '../../config/toml-format.ts';
import { type Context, println } from '../../context.ts';
import { EXIT } from '../../errors.ts';
import { maskConfig } from '../../io/redact.ts';

export const spec = defineSpec({
  summary: 'remove one key (its line and inline comment; other comments stay) from a config file',
  args: [{ name: 'key', required: true, description: 'a dotted key, segments quoted as in TOML' }],
  options: {
    profile: { ...PROFILE, description: 'remove it from $CODEX_HOME/<name>.config.toml' },
    project: { kind: 'flag', description: "remove it from the project's .codex/config.toml" },
    dryRun: DRY_RUN,
    json: JSON_OUTPUT,
  },
  examples: [
    'codexgw config unset temperature',
    'codexgw config unset model_providers.portkey.query_params -p work',
  ],
  help: 'Exit codes: 0 removed (or not set), 3 file error.',
});

export interface ConfigUnsetResult {
  file: string;
  key: string;
  /** The value removed (credentials masked); null when it was not set. */
  previous: unknown;
  write: WriteReport | null;
}

export async function run(o: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const target = editTarget(ctx, o);
  const keyPath = parseUserKey(o.key);
  const source = readConfigSource(target.file);
  const previous = getIn(source.value, keyPath);
  const result: ConfigUnsetResult = {
    file: target.file,
    key: formatKeyPath(keyPath),
    previous: previous === undefined ? null : toJson(maskConfig(previous, keyPath)),
    write: null,
  };
  if (previous !== undefined) {
    const plan = planConfigEdit(target, (doc) => {
      if (doc.has(keyPath)) doc.delete(keyPath);
    });
    result.write = await applyPlansReport([plan], ctx, { dryRun: o.dryRun, json: o.json, parsed: [source] });
  }
  if (o.json) println(ctx.stdout, JSON.stringify(result, null, 2));
  else if (!result.write)
    println(ctx.stderr, `${result.key} is not set in ${target.label}. Nothing to change.`);
  else
    println(
      ctx.stderr,
      `${ctx.errColor.ok('✓')} ${result.write.dryRun ? 'Would remove' : 'Removed'} ${result.key} from ${target.label}.`,
    );
  return EXIT.ok;
}
