/**
 * Every real config of the corpus (test/helpers/corpus.ts): `codexgw validate --strict` passes exactly
 * when `codex --strict-config` accepts the file, and plain `validate` exactly when plain Codex does.
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { codexCheck, codexSandbox, codexStrictCheck } from '../helpers/codex.ts';
import { corpus } from '../helpers/corpus.ts';
import { captureContext } from '../helpers/tmp.ts';

const CORPUS = corpus();

describe(`validate verdicts equal Codex 0.169 on the ${CORPUS.summary}`, () => {
  it('covers the whole corpus', () => {
    expect(CORPUS.codexConfigs.length).toBeGreaterThanOrEqual(CORPUS.min.codexConfigs);
  });

  it.each(CORPUS.codexConfigs.map((c) => [c.name, c.file]))('%s', async (_name, source) => {
    const sb = codexSandbox();
    const file = path.join(sb.codexHome, 'config.toml');
    copyFileSync(source, file);
    const verdict = async (strict: boolean) => {
      const cap = captureContext({ cwd: sb.cwd, env: { HOME: sb.home, CODEX_HOME: sb.codexHome } });
      const code = await main(
        ['validate', '--format', 'json', ...(strict ? ['--strict'] : []), file],
        cap.ctx,
      );
      expect(code === 0 || code === 1, cap.err()).toBe(true);
      return { ok: code === 0, out: cap.out() };
    };
    const [ours, oursPlain, codex, codexPlain] = await Promise.all([
      verdict(true),
      verdict(false),
      codexStrictCheck({ codexHome: sb.codexHome, cwd: sb.cwd }),
      codexCheck({ codexHome: sb.codexHome, cwd: sb.cwd }),
    ]);
    expect(ours.ok, `strict — codexgw: ${ours.out} | codex: ${codex.error?.detail ?? 'ok'}`).toBe(codex.ok);
    expect(oursPlain.ok, `plain — codex: ${codexPlain.error?.detail ?? 'ok'}`).toBe(codexPlain.ok);
  });
});
