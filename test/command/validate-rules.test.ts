import { chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.ts';
import { makeGitRepo, makeWorld } from '../helpers/setup-home.ts';

/** A world whose PATH has a `codex` that says it is `version`. */
function worldWithCodex(version: string) {
  const w = makeWorld();
  const bin = path.join(w.root, 'bin');
  w.write(path.join(bin, 'codex'), `#!/bin/sh\necho "codex-cli ${version}"\n`);
  chmodSync(path.join(bin, 'codex'), 0o755);
  return { w, env: { ...w.env, PATH: `${bin}:/usr/bin:/bin` } };
}

describe('validate follows the Codex in use', () => {
  it('a Codex newer than every rule set: a note, and an unknown key is info that --strict passes', async () => {
    const { w, env } = worldWithCodex('0.180.0');
    w.write(
      path.join(w.codexHome, 'config.toml'),
      'brand_new_key = 1\n[features]\nbrand_new_feature = true\n',
    );
    const text = await runMain(w, ['validate', '--strict'], { env });
    expect(text.code).toBe(0);
    expect(text.out).toContain(
      "Codex 0.180.0 is newer than every release codexgw has rules for: these checks follow Codex 0.171.0's",
    );
    const json = JSON.parse((await runMain(w, ['validate', '--format', 'json'], { env })).out);
    expect(json.rules).toEqual({
      version: '0.171.0',
      codexVersion: '0.180.0',
      source: 'path',
      match: 'newer-codex',
    });
    expect(json.findings.map((f: { id: string; severity: string }) => `${f.severity} ${f.id}`)).toEqual([
      'info unknown-key',
      'info unknown-feature',
    ]);
    expect(json.findings[0].message).toContain('it may be new in Codex 0.180.0');
  });

  it("the same unknown key is a warning that fails --strict under a release's own rules", async () => {
    const { w, env } = worldWithCodex('0.171.0');
    w.write(path.join(w.codexHome, 'config.toml'), 'brand_new_key = 1\n');
    const r = await runMain(w, ['validate', '--strict'], { env });
    expect(r.code).toBe(1);
    expect(r.out).toContain('Unknown key `brand_new_key`: Codex 0.171.0 ignores it');
  });

  it('--codex-version picks the rules: code_mode is unknown to 0.169.0 and typed by 0.171.0', async () => {
    const { w, env } = worldWithCodex('0.171.0');
    w.write(path.join(w.codexHome, 'config.toml'), '[code_mode]\nheartbeat_interval_s = "soon"\n');
    const old = await runMain(w, ['validate', '--codex-version', '0.169.0'], { env });
    expect(old.code).toBe(0);
    expect(old.out).toContain("Rules: Codex 0.169.0's rules (--codex-version 0.169.0)");
    expect(old.out).toContain('Unknown key `code_mode`: Codex 0.169.0 ignores it');
    const now = await runMain(w, ['validate'], { env });
    expect(now.code).toBe(1);
    expect(now.out).toContain(
      '`code_mode.heartbeat_interval_s` must be an integer: Codex 0.171.0 refuses to load this config.',
    );
  });

  it('--strict does not fail on keys Codex strips from a project file (codex --strict-config does not)', async () => {
    const { w, env } = worldWithCodex('0.171.0');
    const repo = path.join(w.work, 'repo');
    makeGitRepo(repo);
    w.write(path.join(w.codexHome, 'config.toml'), `[projects."${repo}"]\ntrust_level = "trusted"\n`);
    w.write(path.join(repo, '.codex', 'config.toml'), 'model = "gpt-5.5"\nmodel_provider = "elsewhere"\n');
    const r = await runMain(w, ['validate', '--strict', '--format', 'json'], { env, cwd: repo });
    const ids = JSON.parse(r.out).findings.map(
      (f: { id: string; severity: string }) => `${f.severity} ${f.id}`,
    );
    expect(ids).toEqual(['warning project-ignored-key']);
    expect(r.code).toBe(0);
  });
});
