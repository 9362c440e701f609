// Types for scripts/drift.mjs, which the test suite imports (test/unit/drift.test.ts).
import type { CodexRules } from '../src/codex/rules.ts';

export function diffRules(shipped: CodexRules, fresh: CodexRules): string[];
