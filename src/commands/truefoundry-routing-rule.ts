import { type CommandOutcome, defineSpec, JSON_OUTPUT, type OptionsOf, outcome } from '../command-spec.ts';
import type { Context } from '../context.ts';
import { EXIT, UsageError } from '../errors.ts';
import { routingRuleYaml } from '../gateways/truefoundry.ts';

export const spec = defineSpec({
  summary: 'print the gateway-load-balancing rule that lets Codex use a plain model name',
  options: {
    model: {
      kind: 'value',
      value: 'plain',
      description: 'the plain model name Codex sends (e.g. gpt-5.5)',
    },
    target: {
      kind: 'value',
      value: 'account/model',
      description: 'the TrueFoundry model it routes to (e.g. openai-main/gpt-5.5)',
    },
    json: JSON_OUTPUT,
  },
  examples: [
    'codexgw truefoundry routing-rule --model gpt-5.5 --target openai-main/gpt-5.5 > codex-routing.yaml',
  ],
});

/**
 * `codexgw truefoundry routing-rule --model <plain> --target <account/model>`: print the
 * TrueFoundry routing config that lets Codex send a plain model name (and so keep its model
 * metadata) while the gateway serves the fully qualified one. The YAML goes to stdout so it can
 * be redirected to a file; how to apply it goes to stderr.
 */
export async function run(
  options: OptionsOf<typeof spec>,
  ctx: Context,
): Promise<number | CommandOutcome<{ model: string; target: string; yaml: string }>> {
  const { model, target } = options;
  if (model === undefined || target === undefined) {
    throw new UsageError(`truefoundry routing-rule needs --${model === undefined ? 'model' : 'target'}.`, {
      hint: `e.g. ${spec.examples[0]}`,
    });
  }
  const yaml = routingRuleYaml({ model, target });
  if (options.json) return outcome({ model, target, yaml });
  ctx.stdout.write(yaml);

  const c = ctx.errColor;
  const q = shellWord;
  const file = 'codex-routing.yaml';
  ctx.stderr.write(
    [
      '',
      c.bold('To apply it:'),
      `  codexgw truefoundry routing-rule --model ${q(model)} --target ${q(target)} > ${file}`,
      `  tfy apply -f ${file}          ${c.dim('# preview first with --dry-run --show-diff')}`,
      '  or paste it into the routing (load-balancing) config in the TrueFoundry UI.',
      c.warn(
        '  The routing config is gateway-wide: if one exists already, add this rule to it instead of replacing it.',
      ),
      '',
      c.bold('Then let Codex send the plain name:'),
      `  codexgw model set ${q(model)}`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

/** Quote a word for a POSIX shell only when it needs it (the examples are meant to be pasted). */
function shellWord(s: string): string {
  return /^[A-Za-z0-9@%_+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
