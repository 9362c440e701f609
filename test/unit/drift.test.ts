import { describe, expect, it } from 'vitest';
import { diffRules } from '../../scripts/drift.mjs';
import { SHIPPED } from '../../src/codex/rules.ts';

describe('drift.mjs diffRules', () => {
  const [r169, r171] = SHIPPED;

  it('prints what 0.171.0 changed against 0.169.0 (codex-drift.md §2), one line each', () => {
    const lines = diffRules(r169!, r171!);
    expect(lines).toEqual(
      expect.arrayContaining([
        '+ code_mode: table (closed under --strict-config, 1 fields)',
        '+ responses: table (closed under --strict-config, 1 fields)',
        '+ rollout_trace: table (closed under --strict-config, 2 fields)',
        '+ otel.headers_helper: string',
        '+ otel.headers_helper_refresh_interval_ms: u64 >= 1',
        '+ feature safe_image_decoder',
        '~ feature incremental_tools_legacy: stable/false → stable/true',
        '+ catalog model gpt-6.2-sol',
        '+ catalog model gpt-6.2-astra',
      ]),
    );
    expect(lines.filter((l) => l.startsWith('+ feature '))).toHaveLength(9);
    expect(lines.some((l) => l.startsWith('-'))).toBe(false);
  });

  it('finds no difference between a rule set and itself', () => {
    expect(diffRules(r171!, structuredClone(r171!))).toEqual([]);
  });

  it('names a changed enum value and a changed integer range', () => {
    const changed = structuredClone(r171!);
    const sandbox = changed.keys.sandbox_mode;
    if (sandbox?.type === 'enum') sandbox.values = [...sandbox.values.slice(1), 'yolo'];
    changed.keys.model_context_window = { type: 'integer', kind: 'u32', min: 0 };
    expect(diffRules(r171!, changed)).toEqual([
      '~ model_context_window: i64 → u32 >= 0',
      '~ sandbox_mode: values +yolo -read-only',
    ]);
  });
});
