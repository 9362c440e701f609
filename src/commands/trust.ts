import path from 'node:path';
import { trustEdit } from '../app/trust.ts';
import { applyPlansReport, configTarget, planConfigEdit, type WriteReport } from '../app/write-config.ts';
import { DRY_RUN, defineSpec, JSON_OUTPUT, type OptionsOf } from '../command-spec.ts';
import { canonicalDir, findProjectRoot } from '../config/paths.ts';
import { readConfigSource } from '../config/source.ts';
import { type Context, println } from '../context.ts';
import { EXIT } from '../errors.ts';

export const spec = defineSpec({
  summary: 'trust a project, so Codex loads its .codex/config.toml ([projects."<dir>"] in the user config)',
  args: [
    {
      name: 'dir',
      description: 'the project directory (default: the project root of the current directory)',
    },
  ],
  options: { dryRun: DRY_RUN, json: JSON_OUTPUT },
  examples: ['codexgw trust', 'codexgw trust ~/src/app --dry-run'],
  help: 'Exit codes: 0 trusted (or already), 3 file error. `codexgw untrust` removes the entry.',
});

export interface TrustResult {
  dir: string;
  file: string;
  trust: 'trusted' | null;
  write: WriteReport | null;
}

export async function run(o: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const dir = o.dir ? canonicalDir(path.resolve(ctx.cwd, o.dir)) : findProjectRoot(ctx.cwd);
  const target = configTarget(ctx, undefined);
  const source = readConfigSource(target.file);
  const plan = planConfigEdit(target, trustEdit(dir, 'trusted'));
  const result: TrustResult = { dir, file: target.file, trust: 'trusted', write: null };
  if (plan.after !== (plan.before ?? '')) {
    result.write = await applyPlansReport([plan], ctx, { dryRun: o.dryRun, json: o.json, parsed: [source] });
  }
  if (o.json) {
    println(ctx.stdout, JSON.stringify(result, null, 2));
    return EXIT.ok;
  }
  const c = ctx.errColor;
  if (!result.write) println(ctx.stderr, `${dir} is already trusted in ${target.label}.`);
  else
    println(
      ctx.stderr,
      `${c.ok('✓')} ${result.write.dryRun ? 'Would trust' : 'Trusted'} ${dir} in ${target.label}.`,
    );
  // Codex: once a directory has a trust entry and sandbox_mode is unset, the default sandbox is
  // workspace-write instead of read-only (reference/codex-config.md §4).
  println(
    ctx.stderr,
    c.dim(
      'Codex now loads its .codex/config.toml; with no sandbox_mode set, Codex defaults to workspace-write there.',
    ),
  );
  return EXIT.ok;
}
