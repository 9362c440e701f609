/**
 * Every real config of the corpus (test/helpers/corpus.ts), for every Codex release with shipped
 * rules: `codexgw validate --strict` passes exactly when that release's `codex --strict-config`
 * accepts the file, and plain `validate` exactly when plain Codex does — with --codex-version, and
 * with that release's binary on PATH instead.
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import {
  CODEX_VERSIONS,
  codexCheck,
  codexPathDir,
  codexSandbox,
  codexStrictCheck,
} from '../helpers/codex.ts';
import { corpus } from '../helpers/corpus.ts';
import { captureContext, makeTempDir } from '../helpers/tmp.ts';

const CORPUS = corpus();

describe.each(CODEX_VERSIONS)(`validate verdicts equal Codex %s on the ${CORPUS.summary}`, (version) => {
  it('covers the whole corpus', () => {
    expect(CORPUS.codexConfigs.length).toBeGreaterThanOrEqual(CORPUS.min.codexConfigs);
  });

  // One version cache for the release: validate runs `codex --version` once per binary.
  const cacheHome = makeTempDir('codexgw-cache-');

  it.each(CORPUS.codexConfigs.map((c) => [c.name, c.file]))('%s', async (_name, source) => {
    const sb = codexSandbox();
    const file = path.join(sb.codexHome, 'config.toml');
    copyFileSync(source, file);
    const verdict = async (strict: boolean, how: 'flag' | 'path') => {
      const env = {
        HOME: sb.home,
        CODEX_HOME: sb.codexHome,
        XDG_CACHE_HOME: cacheHome,
        // node for the launcher's #!/usr/bin/env node; no codex but the one under test.
        PATH: [...(how === 'path' ? [codexPathDir(version)] : []), path.dirname(process.execPath)].join(
          path.delimiter,
        ),
      };
      const cap = captureContext({ cwd: sb.cwd, env });
      const args = ['validate', '--format', 'json', ...(strict ? ['--strict'] : []), file];
      const code = await main(how === 'flag' ? [...args, '--codex-version', version] : args, cap.ctx);
      expect(code === 0 || code === 1, cap.err()).toBe(true);
      const out = JSON.parse(cap.out()) as { rules: { version: string; source: string } };
      expect(out.rules).toMatchObject({ version, source: how });
      return { ok: code === 0, out: cap.out() };
    };
    const [ours, oursPlain, onPath, onPathPlain, codex, codexPlain] = await Promise.all([
      verdict(true, 'flag'),
      verdict(false, 'flag'),
      verdict(true, 'path'),
      verdict(false, 'path'),
      codexStrictCheck({ codexHome: sb.codexHome, cwd: sb.cwd, version }),
      codexCheck({ codexHome: sb.codexHome, cwd: sb.cwd, version }),
    ]);
    expect(ours.ok, `strict — codexgw: ${ours.out} | codex: ${codex.error?.detail ?? 'ok'}`).toBe(codex.ok);
    expect(
      oursPlain.ok,
      `plain — codexgw: ${oursPlain.out} | codex: ${codexPlain.error?.detail ?? 'ok'}`,
    ).toBe(codexPlain.ok);
    expect({ strict: onPath.ok, plain: onPathPlain.ok }).toEqual({ strict: ours.ok, plain: oursPlain.ok });
  });
});
