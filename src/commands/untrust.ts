import path from 'node:path';
import { trustEdit } from '../app/trust.ts';
import { applyPlansReport, configTarget, planConfigEdit, type WriteReport } from '../app/write-config.ts';
import { DRY_RUN, defineSpec, JSON_OUTPUT, type OptionsOf } from '../command-spec.ts';
import { canonicalDir, findProjectRoot } from '../config/paths.ts';
import { readConfigSource } from '../config/source.ts';
import { type Context, println } from '../context.ts';
import { EXIT } from '../errors.ts';

export const spec = defineSpec({
  summary: 'remove the trust entry of a project: Codex ignores its .codex/config.toml again',
  args: [
    {
      name: 'dir',
      description: 'the project directory (default: the project root of the current directory)',
    },
  ],
  options: { dryRun: DRY_RUN, json: JSON_OUTPUT },
  examples: ['codexgw untrust', 'codexgw untrust ~/src/app --json'],
  help: 'Exit codes: 0 removed (or there was none), 3 file error.',
});

export interface UntrustResult {
  dir: string;
  file: string;
  trust: null;
  write: WriteReport | null;
}

export async function run(o: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const dir = o.dir ? canonicalDir(path.resolve(ctx.cwd, o.dir)) : findProjectRoot(ctx.cwd);
  const target = configTarget(ctx, undefined);
  const source = readConfigSource(target.file);
  const plan = planConfigEdit(target, trustEdit(dir, undefined));
  const result: UntrustResult = { dir, file: target.file, trust: null, write: null };
  if (plan.after !== (plan.before ?? '')) {
    result.write = await applyPlansReport([plan], ctx, { dryRun: o.dryRun, json: o.json, parsed: [source] });
  }
  if (o.json) println(ctx.stdout, JSON.stringify(result, null, 2));
  else if (!result.write)
    println(ctx.stderr, `${dir} has no trust entry in ${target.label}. Nothing to change.`);
  else
    println(
      ctx.stderr,
      `${ctx.errColor.ok('✓')} ${result.write.dryRun ? 'Would remove' : 'Removed'} the trust entry of ${dir} from ${target.label}.`,
    );
  return EXIT.ok;
}
