// Types for scripts/calibrate.mjs, which the test suite imports (test/oracle/calibrate.test.ts).
import type { CodexRules } from '../src/codex/rules.ts';

export const RULES_DIR: string;
export function calibrate(
  codex: string,
  options?: { sample?: string[]; known?: CodexRules },
): Promise<CodexRules & { keyNames?: string[]; $comment: string }>;
export function nativeCodex(codex: string): string;
export function rulesFile(version: string): string;
export function serialize(rules: unknown): string;
