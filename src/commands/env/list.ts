import { defineSpec, JSON_OUTPUT, type OptionsOf } from '../../command-spec.ts';
import { type Context, println } from '../../context.ts';
import { EXIT } from '../../errors.ts';
import { maskSecret } from '../../io/redact.ts';
import { conflictWarning } from '../../shell/key.ts';
import { printWarnings } from '../../shell/report.ts';
import { type EnvState, findConflicts, readEnvState } from '../../shell/state.ts';
import { type ShellWarning, secretFileWarnings } from '../../shell/warnings.ts';
import { ENV_TARGET, targetOf } from './shared.ts';

export const spec = defineSpec({
  summary: 'list the variables in the managed block (masked)',
  options: { ...ENV_TARGET, json: JSON_OUTPUT },
  examples: ['codexgw env list', 'codexgw env list --shell zsh --json'],
});

type InEnv = 'same' | 'different' | 'unset';

/** `codexgw env list [--json]`: the block's variables, masked, and whether this shell has the same value. */
export async function run(opts: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const target = targetOf(opts, ctx);
  const state = readEnvState(target);
  const variables = state.vars.map((v) => {
    const current = ctx.env[v.name];
    const environment: InEnv = current === undefined ? 'unset' : current === v.value ? 'same' : 'different';
    return { name: v.name, masked: maskSecret(v.value), file: v.file, line: v.line, environment };
  });
  const warnings = await listWarnings(state, ctx);
  if (opts.json) {
    const block = state.rc.scan.block;
    const doc = {
      shell: target.shell,
      rcFile: target.rcFile,
      secretsFile: state.secrets?.file ?? null,
      block: block ? { startLine: block.startLine, endLine: block.endLine } : null,
      variables,
      warnings,
    };
    println(ctx.stdout, JSON.stringify(doc, null, 2));
    return EXIT.ok;
  }
  if (variables.length === 0) {
    println(ctx.stderr, `No variables in the codexgw block of ${state.rc.file} (${target.shell}).`);
  } else {
    const c = ctx.color;
    const width = Math.max(...variables.map((v) => v.name.length));
    const label: Record<InEnv, string> = {
      same: c.ok('loaded in this shell'),
      different: c.warn('this shell has a different value'),
      unset: c.dim('not loaded in this shell'),
    };
    for (const v of variables) {
      println(
        ctx.stdout,
        `${v.name.padEnd(width)}  ${v.masked}  ${c.dim(`${v.file}:${v.line}`)}  ${label[v.environment]}`,
      );
    }
  }
  printWarnings(warnings, ctx);
  return EXIT.ok;
}

async function listWarnings(state: EnvState, ctx: Context): Promise<ShellWarning[]> {
  const out = findConflicts(state).map(conflictWarning);
  const files = new Set(state.vars.map((v) => v.file));
  for (const file of files) {
    out.push(
      ...(await secretFileWarnings(file, ctx.env, {
        suggestSecretsFile: file === state.rc.file,
        platform: state.target.platform,
      })),
    );
  }
  return out;
}
