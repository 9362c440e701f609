import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { run } from '../../src/commands/truefoundry-routing-rule.ts';
import { EXIT, UsageError } from '../../src/errors.ts';
import { captureContext } from '../helpers/tmp.ts';

describe('codexgw truefoundry routing-rule', () => {
  it('prints the routing config on stdout and how to apply it on stderr', async () => {
    const { ctx, out, err } = captureContext();
    expect(await run({ model: 'gpt-5', target: 'openai-main/gpt-5' }, ctx)).toBe(EXIT.ok);
    expect(out()).toBe(
      [
        'name: "codex-routing"',
        'type: gateway-load-balancing-config',
        'rules:',
        '  - id: "codex-gpt-5"',
        '    type: weight-based-routing',
        '    when:',
        '      models: ["gpt-5"]',
        '    load_balance_targets:',
        '      - target: "openai-main/gpt-5"',
        '        weight: 100',
        '',
      ].join('\n'),
    );
    expect(err()).toContain('tfy apply -f codex-routing.yaml');
    expect(err()).toContain('TrueFoundry UI');
    expect(err()).toContain('codexgw model set gpt-5');
    expect(err()).toContain('gateway-wide');
  });

  it('quotes YAML scalars safely (JSON strings are valid YAML double-quoted scalars)', async () => {
    const { ctx, out, err } = captureContext();
    const model = 'gpt-5:"x" #y';
    await expect(run({ model, target: 'acct/m' }, ctx)).rejects.toThrow(UsageError); // space → refused
    const weird = 'o3:"mini"#1';
    const target = 'my-acct/model\'with"quotes';
    expect(await run({ model: weird, target }, ctx)).toBe(EXIT.ok);
    const models = /models: \[(.*)\]/.exec(out())![1]!;
    expect(JSON.parse(models)).toBe(weird);
    const t = /target: (.*)/.exec(out())![1]!;
    expect(JSON.parse(t)).toBe(target);
    // The id is a slug of the model, safe in any YAML context.
    expect(out()).toContain('id: "codex-o3-mini-1"');
    // The shell example quotes what the shell would mangle.
    expect(err()).toContain(`--target 'my-acct/model'\\''with"quotes'`);
  });

  it('refuses a plain model with a "/" and a target without an account', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { model: 'openai-main/gpt-5', target: 'openai-main/gpt-5' },
        /--model "openai-main\/gpt-5" contains "\/"/,
      ],
      [{ model: '', target: 'openai-main/gpt-5' }, /is not a model name/],
      [{ model: 'gpt-5', target: 'gpt-5' }, /--target "gpt-5" is not a TrueFoundry model id/],
      [{ model: 'gpt-5', target: '/gpt-5' }, /--target/],
      [{ model: 'gpt-5', target: 'openai-main/' }, /--target/],
      [{ model: 'gpt-5', target: 'openai main/gpt-5' }, /--target/],
    ];
    for (const [opts, message] of cases) {
      const { ctx, out } = captureContext();
      const err = await run(opts, ctx).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, JSON.stringify(opts)).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toMatch(message);
      expect((err as UsageError).hint).toBeTruthy();
      expect(out()).toBe('');
    }
    const { ctx } = captureContext();
    await expect(run({ model: 'gpt-5' }, ctx)).rejects.toThrow(/--target/);
  });

  it('is wired into the CLI, with usage errors exiting 2', async () => {
    const ok = captureContext();
    expect(
      await main(
        ['truefoundry', 'routing-rule', '--model', 'gpt-5', '--target', 'openai-main/gpt-5'],
        ok.ctx,
      ),
    ).toBe(EXIT.ok);
    expect(ok.out()).toContain('target: "openai-main/gpt-5"');
    const bad = captureContext();
    expect(await main(['truefoundry', 'routing-rule', '--model', 'a/b', '--target', 'a/b'], bad.ctx)).toBe(
      EXIT.usage,
    );
    expect(bad.err()).toMatch(/error: --model "a\/b" contains/);
    expect(bad.err()).toMatch(/fix: /);
  });
});
