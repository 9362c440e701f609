import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.ts';
import { makeWorld, type TempWorld } from '../helpers/setup-home.ts';

const CORPUS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../shared/corpus/codex-configs',
);

/** Corpus configs with a provider written as its own `[model_providers.<id>]` table. */
function corpusProviders(): { file: string; id: string }[] {
  const out: { file: string; id: string }[] = [];
  for (const name of readdirSync(CORPUS).sort()) {
    if (!name.endsWith('.toml')) continue;
    const file = path.join(CORPUS, name);
    const text = readFileSync(file, 'utf8');
    let value: Record<string, unknown>;
    try {
      value = parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
    } catch {
      continue;
    }
    const providers = value.model_providers as Record<string, unknown> | undefined;
    const id = Object.keys(providers ?? {}).find((k) => text.includes(`[model_providers.${k}]`));
    if (id) out.push({ file, id });
  }
  return out;
}

/** The removed and added lines of a change, from a line-by-line comparison of the two texts. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { removed: a.slice(start, endA), added: b.slice(start, endB) };
}

const configOf = (w: TempWorld) => readFileSync(path.join(w.codexHome, 'config.toml'), 'utf8');

describe('provider set', () => {
  const cases = corpusProviders();

  it('finds providers in the corpus to change', () => {
    expect(existsSync(CORPUS)).toBe(true);
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases.map((c) => [path.basename(c.file), c] as const))(
    'changes exactly the named line of %s, and a header set then unset gives back the bytes',
    async (_name, { file, id }) => {
      const w = makeWorld();
      const original = readFileSync(file, 'utf8');
      w.write(path.join(w.codexHome, 'config.toml'), original);
      const r = await runMain(w, ['provider', 'set', id, '--env-key', 'CODEXGW_TEST_KEY']);
      expect(r.code, r.err).toBe(0);
      const { removed, added } = changedLines(original, configOf(w));
      expect(added).toHaveLength(1);
      expect(added[0]).toMatch(/^\s*env_key\s*=\s*"CODEXGW_TEST_KEY"/);
      expect(removed.length).toBeLessThanOrEqual(1);
      for (const line of removed) expect(line).toMatch(/^\s*env_key\s*=/);
      // A removed line's own comment stays on the changed line.
      if (removed[0]?.includes('#')) expect(added[0]).toContain(removed[0].slice(removed[0].indexOf('#')));

      const once = configOf(w);
      expect((await runMain(w, ['provider', 'set', id, '--header', 'x-codexgw-test=1'])).code).toBe(0);
      expect(configOf(w)).not.toBe(once);
      expect((await runMain(w, ['provider', 'set', id, '--unset-header', 'x-codexgw-test'])).code).toBe(0);
      expect(configOf(w)).toBe(once);
    },
  );

  it('sets and removes headers, query parameters and the name, says what changed, and --json reports it', async () => {
    const w = makeWorld();
    w.write(
      path.join(w.codexHome, 'config.toml'),
      '[model_providers.portkey]\nname = "Portkey"\nbase_url = "https://api.portkey.ai/v1" # cloud\nenv_key = "PORTKEY_API_KEY"\nhttp_headers = { "x-portkey-provider" = "@openai-prod", "x-portkey-config" = "cfg" }\n',
    );
    const r = await runMain(w, [
      'provider',
      'set',
      'portkey',
      '--base-url',
      'https://portkey.internal.example/v1',
      '--unset-header',
      'x-portkey-config',
      '--query',
      'team=core',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ id: 'portkey', changes: expect.any(Array), write: { dryRun: false } });
    expect(doc.changes).toEqual([
      'base_url: "https://api.portkey.ai/v1" → "https://portkey.internal.example/v1"',
      'http_headers.x-portkey-config: "cfg" → (unset)',
      'query_params.team: (unset) → "core"',
    ]);
    expect(configOf(w)).toBe(
      '[model_providers.portkey]\nname = "Portkey"\nbase_url = "https://portkey.internal.example/v1" # cloud\nenv_key = "PORTKEY_API_KEY"\nhttp_headers = { "x-portkey-provider" = "@openai-prod" }\n\n[model_providers.portkey.query_params]\nteam = "core"\n',
    );
    // The self-hosted Portkey is still recognised as Portkey.
    const list = JSON.parse((await runMain(w, ['provider', 'list', '--json'])).out);
    expect(list.providers[0].gateway).toBe('portkey');
  });

  it('refuses a bad value, an unknown id (pointing at the profile that has it) and an empty change; writes nothing', async () => {
    const w = makeWorld();
    const text = '[model_providers.a]\nname = "A"\nbase_url = "http://a.example/v1"\n';
    w.write(path.join(w.codexHome, 'config.toml'), text);
    w.write(path.join(w.codexHome, 'work.config.toml'), '[model_providers.b]\nname = "B"\n');
    const bad = await runMain(w, ['provider', 'set', 'a', '--env-key', 'not a var']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('is not an environment variable name');
    const secret = await runMain(w, ['provider', 'set', 'a', '--header', 'Authorization=Bearer x']);
    expect(secret.code).toBe(2);
    const missing = await runMain(w, ['provider', 'set', 'b', '--name', 'B2']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('add -p work');
    const none = await runMain(w, ['provider', 'set', 'a']);
    expect(none.code).toBe(2);
    expect(configOf(w)).toBe(text);
    const dry = await runMain(w, ['provider', 'set', 'a', '--name', 'A2', '--dry-run']);
    expect(dry.out).toContain('+name = "A2"');
    expect(configOf(w)).toBe(text);
    expect((await runMain(w, ['provider', 'set', 'b', '-p', 'work', '--name', 'B2'])).code).toBe(0);
    expect(readFileSync(path.join(w.codexHome, 'work.config.toml'), 'utf8')).toBe(
      '[model_providers.b]\nname = "B2"\n',
    );
  });
});

describe('the "store the key" hint', () => {
  it("is not shown when the variable is already in codexgw's rc block: it says to load it instead", async () => {
    const w = makeWorld();
    const env = { ...w.env, SHELL: '/bin/bash' };
    const before = await runMain(w, ['provider', 'add', 'portkey', '--id', 'a'], { env });
    expect(before.err).toContain('Store your Portkey key with: codexgw env set PORTKEY_API_KEY');
    const stored = await runMain(w, ['env', 'set', 'PORTKEY_API_KEY', '--value-stdin'], {
      env,
      stdin: 'pk-0123456789abcdef',
    });
    expect(stored.code, stored.err).toBe(0);
    const after = await runMain(w, ['provider', 'add', 'portkey', '--id', 'b'], { env });
    expect(after.err).not.toContain('codexgw env set');
    expect(after.err).toContain(
      "PORTKEY_API_KEY is in codexgw's block in your shell rc but not in this shell",
    );
    const inShell = await runMain(w, ['provider', 'add', 'portkey', '--id', 'c'], {
      env: { ...env, PORTKEY_API_KEY: 'pk-0123456789abcdef' },
    });
    expect(inShell.err).not.toContain('PORTKEY_API_KEY');
  });
});
