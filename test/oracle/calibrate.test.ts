/**
 * The committed rules are what the pinned binaries say: scripts/calibrate.mjs re-run on each
 * release with shipped rules gives the committed src/codex/rules/<version>.json. The key types are
 * compared on a sample (the keys that differ between releases, and one of each kind of rule), every
 * other part in full; `npm run calibrate -- <codex> --check` compares everything (~20 s a release).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibrate, rulesFile } from '../../scripts/calibrate.mjs';
import { type CodexRules, SHIPPED } from '../../src/codex/rules.ts';
import { CODEX_VERSIONS, codexBinary, nativeCodex } from '../helpers/codex.ts';

const SAMPLE = [
  'code_mode',
  'responses',
  'rollout_trace',
  'otel',
  'history',
  'sandbox_mode',
  'approval_policy',
  'model_context_window',
  'model_post_turn_compact_threshold_percent',
  'notify',
  'model_catalog_json',
  'experimental_thread_store_endpoint',
  'shell_environment_policy',
  'projects',
];

describe.each(CODEX_VERSIONS)('calibrate.mjs on Codex %s', (version) => {
  it('regenerates the committed rules', { timeout: 120_000 }, async () => {
    const committed = JSON.parse(readFileSync(rulesFile(version), 'utf8')) as CodexRules;
    const fresh = await calibrate(nativeCodex(version), { sample: SAMPLE, known: committed });
    expect(fresh.version).toBe(version);
    expect(fresh.keyNames).toEqual(Object.keys(committed.keys));
    const picked = Object.fromEntries(
      SAMPLE.filter((k) => k in committed.keys).map((k) => [k, committed.keys[k]]),
    );
    expect(fresh.keys).toEqual(picked);
    const { keys: _k, keyNames: _n, ...rest } = fresh;
    const { keys: _c, ...committedRest } = committed;
    expect(rest).toEqual(committedRest);
  });

  it('is the rule set codexgw ships for that release', () => {
    expect(SHIPPED.map((r) => r.version)).toContain(version);
    expect(codexBinary(version)).toMatch(/codex\.js$/);
  });
});
