import { redactWith, secretsInConfig } from '../../io/redact.ts';
import { authChecks } from './auth.ts';
import { codexChecks } from './codex.ts';
import { configChecks } from './config.ts';
import { envChecks } from './env.ts';
import { modelChecks } from './model.ts';
import { onlineChecks } from './online.ts';
import { pinChecks } from './pin.ts';
import { providerChecks } from './provider.ts';
import { type Check, type CheckStatus, type DoctorInput, GROUPS, groupOf } from './types.ts';

export type { Check, CheckStatus, DoctorInput } from './types.ts';

/** Every check, grouped in the order the checklist prints them, every secret masked. */
export function runDoctorChecks(input: DoctorInput): Check[] {
  const all = [
    ...configChecks(input),
    ...providerChecks(input),
    ...envChecks(input),
    ...authChecks(input),
    ...modelChecks(input),
    ...codexChecks(input),
    ...pinChecks(input.pin),
    ...onlineChecks(input),
  ];
  const order = (c: Check) => GROUPS.indexOf(groupOf(c));
  return maskSecrets(
    all
      .map((c, i) => [c, i] as const)
      .sort((a, b) => order(a[0]) - order(b[0]) || a[1] - b[1])
      .map(([c]) => c),
    secretValues(input),
  );
}

export type Summary = Record<CheckStatus, number>;

export function summarizeChecks(checks: readonly Check[]): Summary {
  const s: Summary = { ok: 0, warning: 0, error: 0, skipped: 0 };
  for (const c of checks) s[c.status]++;
  return s;
}

/**
 * Every value doctor knows to be a secret: the key variables of every provider, the variables
 * behind env headers, the values codexgw's rc block exports, literal tokens and credential headers
 * in config files. Checks never print them on purpose; this is the net under that promise (a
 * gateway or `codex doctor` could echo one back).
 */
export function secretValues(input: DoctorInput): string[] {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.trim().length >= 8) out.add(v);
  };
  for (const v of input.rc.vars) add(v.value);
  const found = secretsInConfig(input.config.loaded?.merged);
  for (const v of found.values) add(v);
  for (const name of found.envNames) add(input.env[name]);
  add(input.auth?.token);
  return [...out].sort((a, b) => b.length - a.length);
}

export function maskSecrets(checks: Check[], secrets: readonly string[]): Check[] {
  if (secrets.length === 0) return checks;
  const mask = (s: string) => redactWith(s, secrets);
  return checks.map((c) => ({ ...c, message: mask(c.message), fix: c.fix === null ? null : mask(c.fix) }));
}
