/**
 * `codexgw config show --json` is Codex's merged view: every leaf it prints has the value
 * `config/read` (codex app-server) gives for the same config, on every corpus config that Codex
 * loads, for every release with shipped rules.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { isSecretPath, maskAt } from '../../src/io/redact.ts';
import { CODEX_VERSIONS, codexCheck, codexConfigRead, codexSandbox } from '../helpers/codex.ts';
import { corpus } from '../helpers/corpus.ts';
import { captureContext } from '../helpers/tmp.ts';

const CORPUS = corpus();

/** [path, value] for every leaf, array elements included (Codex fills in defaults inside them). */
function leaves(value: unknown, at: (string | number)[] = []): [(string | number)[], unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...at, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...at, k]));
  }
  return [[at, value]];
}

/** What Codex resolves or renames on load (paths, aliases), and some of what it keeps as written. */
const FIXTURE = `model = "gpt-5.5"
approvals_reviewer = "guardian_subagent"
approval_policy = "on-failure"
model_instructions_file = "instructions.md"
log_dir = "logs"

[sandbox_workspace_write]
writable_roots = ["~/cache", "relative/dir", "/abs/dir"]

[agents]
max_threads = 3

[agents.reviewer]
description = "reviews"
config_file = "agents/reviewer.toml"

[tools]
web_search = true

[mcp_servers.docs]
command = "npx"
args = ["-y", "docs"]
`;

describe.each(CODEX_VERSIONS)('config show --json equals codex %s config/read', (version) => {
  const cases: [string, string | undefined][] = [
    ['paths and renamed keys and values', undefined],
    ...CORPUS.codexConfigs.map((c): [string, string] => [c.name, c.file]),
  ];
  it.each(cases)('%s', async (_name, source) => {
    const sb = codexSandbox();
    const config = path.join(sb.codexHome, 'config.toml');
    if (source) copyFileSync(source, config);
    else {
      writeFileSync(config, FIXTURE);
      writeFileSync(path.join(sb.codexHome, 'instructions.md'), 'Be brief.\n');
    }
    if (!(await codexCheck({ codexHome: sb.codexHome, cwd: sb.cwd, version })).ok) return; // Codex refuses it
    const cap = captureContext({ cwd: sb.cwd, env: { HOME: sb.home, CODEX_HOME: sb.codexHome } });
    expect(await main(['config', 'show', '--json'], cap.ctx), cap.err()).toBe(0);
    const ours = (JSON.parse(cap.out()) as { config: Record<string, unknown> }).config;
    const codex = await codexConfigRead({ codexHome: sb.codexHome, cwd: sb.cwd, version });
    const diffs: string[] = [];
    let compared = 0;
    for (const [p, v] of leaves(ours)) {
      const theirs = p.reduce<unknown>(
        (acc, k) => (acc as Record<string | number, unknown> | null)?.[k],
        codex.config,
      );
      // Keys Codex does not know are not in its config at all (it ignores them; validate says so).
      if (theirs === undefined) continue;
      compared++;
      // A secret is masked in every output codexgw makes (issue #15); it must be the mask of
      // Codex's value, at a place the redaction knows holds secrets.
      const path = p.map(String);
      if (typeof theirs === 'string' && isSecretPath(path, theirs) && v === maskAt(path, theirs)) continue;
      if (JSON.stringify(theirs) !== JSON.stringify(v)) {
        diffs.push(`${p.join('.')}: ours ${JSON.stringify(v)}, codex ${JSON.stringify(theirs)}`);
      }
    }
    expect(diffs).toEqual([]);
    expect(compared).toBeGreaterThan(source ? 0 : 12);
  });
});
