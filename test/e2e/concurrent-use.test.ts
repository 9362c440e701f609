import { lstatSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseToml } from '../../src/config/source.ts';
import { runCli } from '../helpers/run-cli.ts';
import { makeWorld } from '../helpers/setup-home.ts';

const CONFIG = `# team config: keep this comment
model = "gpt-5"

[model_providers.a]
name = "A"
base_url = "http://a.example/v1"

[model_providers.b]
name = "B"
base_url = "http://b.example/v1"

[mcp_servers.docs]   # must survive
command = "npx"
args = ["-y", "docs"]

[projects."/home/me/app"]
trust_level = "trusted"
`;

describe('concurrent codexgw runs on one file', () => {
  it('20 concurrent `use` runs alternating between two providers leave a valid file with everything else intact', async () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), CONFIG);
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        runCli(['use', i % 2 ? 'a' : 'b', '--model', `m-${i}`], { cwd: w.work, env: w.env, timeout: 60_000 }),
      ),
    );
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    const value = parseToml(text, file);
    expect(['a', 'b']).toContain(value.model_provider);
    expect(String(value.model)).toMatch(/^m-\d+$/);
    // Everything but the two keys `use` sets is byte for byte as it was.
    const strip = (t: string) => t.replace(/^model_provider = .*\n/m, '').replace(/^model = .*\n/m, '');
    expect(strip(text)).toBe(strip(CONFIG));
    // No temp or lock files are left behind; every run that changed the file left a backup.
    expect(readdirSync(w.codexHome).sort()).toEqual(['backups', 'config.toml']);
    expect(
      readdirSync(path.join(w.codexHome, 'backups')).filter((f) => !f.endsWith('.json')).length,
    ).toBeGreaterThan(0);
  }, 120_000);

  it('writes through a symlinked config, which stays a symlink', async () => {
    const w = makeWorld();
    const real = w.write('dotfiles/codex.toml', CONFIG);
    const link = path.join(w.codexHome, 'config.toml');
    symlinkSync(real, link);
    const r = await runCli(['use', 'a'], { cwd: w.work, env: w.env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real, 'utf8')).toContain('model_provider = "a"');
  });
});
