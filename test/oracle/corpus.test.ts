/**
 * Every real config in ../shared/corpus/codex-configs: `codexgw validate --strict` passes exactly
 * when `codex --strict-config` accepts the file, and plain `validate` exactly when plain Codex does.
 */
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { codexCheck, codexSandbox, codexStrictCheck } from '../helpers/codex.ts';
import { REPO } from '../helpers/run-cli.ts';
import { captureContext } from '../helpers/tmp.ts';

const CORPUS = path.resolve(REPO, '../shared/corpus/codex-configs');
const present = existsSync(CORPUS);
const files = present
  ? readdirSync(CORPUS)
      .filter((f) => f.endsWith('.toml'))
      .sort()
  : [];

describe('corpus', () => {
  it('is present (CI always has ../shared/corpus)', () => {
    if (!present) console.warn(`skipping corpus verdicts: ${CORPUS} does not exist`);
    if (process.env.CI) expect(present, `${CORPUS} must exist under CI`).toBe(true);
    if (present) expect(files.length).toBeGreaterThanOrEqual(40);
  });
});

describe.runIf(present)('validate verdicts equal Codex 0.169 on the corpus of real configs', () => {
  it.each(files)('%s', async (name) => {
    const sb = codexSandbox();
    const file = path.join(sb.codexHome, 'config.toml');
    copyFileSync(path.join(CORPUS, name), file);
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
