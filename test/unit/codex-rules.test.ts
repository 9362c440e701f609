import { describe, expect, it } from 'vitest';
import { SEMANTIC_RULES_VERIFIED } from '../../src/checks/rules.ts';
import { inCatalog, SHIPPED } from '../../src/codex/rules.ts';
import { PROJECT_DENYLIST, PROJECT_DENYLIST_NESTED } from '../../src/config/layers.ts';
import { CATALOG_MODEL_EXAMPLE, RESERVED_PROVIDER_IDS } from '../../src/gateways/common.ts';

/** What other layers hard-code (they may not import the rules) agrees with every shipped rule set. */
describe.each(SHIPPED.map((r) => [r.version, r] as const))('Codex %s rules', (_version, rules) => {
  it('have the example model in their bundled catalog', () => {
    expect(inCatalog(rules, CATALOG_MODEL_EXAMPLE)).toBe(true);
    expect(inCatalog(rules, 'gpt-4o')).toBe(false);
  });

  it('reserve the provider ids the gateway presets avoid', () => {
    expect([...rules.providers.reserved].sort()).toEqual([...RESERVED_PROVIDER_IDS].sort());
  });

  it('strip the keys the merged view (layers.ts) strips from project files', () => {
    const merged = [...PROJECT_DENYLIST, ...PROJECT_DENYLIST_NESTED.map((p) => p.join('.'))].sort();
    expect([...rules.projectStripped].sort()).toEqual(merged);
  });

  it('are covered by every semantic rule of rules.ts', () => {
    for (const [id, verified] of Object.entries(SEMANTIC_RULES_VERIFIED)) {
      expect(verified, id).toContain(rules.version);
    }
  });
});
