import path from 'node:path';
import type { Check, DoctorInput } from '../../src/checks/doctor/types.ts';
import { main } from '../../src/cli.ts';
import { doctorRules, gatherConfig, readModelCatalog } from '../../src/doctor/gather.ts';
import { codexPathDir } from './codex.ts';
import type { TempWorld } from './setup-home.ts';
import { captureContext } from './tmp.ts';

export interface InputOverrides {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  profile?: string;
  overrides?: string[];
  options?: Partial<DoctorInput['options']>;
  rc?: Partial<DoctorInput['rc']>;
  codex?: Partial<DoctorInput['codex']>;
  online?: Partial<DoctorInput['online']>;
  fixed?: DoctorInput['fixed'];
  rules?: DoctorInput['rules'];
}

/**
 * A DoctorInput for a temp world: the config facts are read from the world's files (the same
 * code the command runs), the rc, Codex and network facts are given, so each check's statuses
 * can be driven one by one.
 */
export function doctorInput(w: TempWorld, o: InputOverrides = {}): DoctorInput {
  const env = { ...w.env, ...o.env };
  const { config, legacy } = gatherConfig(
    { profile: o.profile, overrides: o.overrides ?? [] },
    { cwd: o.cwd ?? w.work, env },
  );
  const codex: DoctorInput['codex'] = {
    path: '/opt/codex/bin/codex',
    version: { ok: true, text: 'codex-cli 0.169.0' },
    doctor: { state: 'skipped', reason: 'not run in this test' },
    ...o.codex,
  };
  return {
    options: { online: false, request: false, profile: o.profile, timeoutMs: 5000, ...o.options },
    config,
    legacy,
    fixed: o.fixed,
    env,
    rc: {
      shell: 'bash',
      file: path.join(w.home, '.bashrc'),
      vars: [],
      overridden: [],
      secretFiles: [],
      ...o.rc,
    },
    codex,
    online: { models: undefined, request: undefined, baseUrl: undefined, skipReason: undefined, ...o.online },
    // As the command chooses them: --codex-version, else the version of the codex given here.
    rules: o.rules ?? doctorRules(o.options?.codexVersion, codex.version),
    modelCatalog: config.loaded ? readModelCatalog(config.loaded) : undefined,
  };
}

/** The checks with this id (most ids appear once). */
export function byId<C extends Check>(checks: readonly C[], id: string): C[] {
  return checks.filter((c) => c.id === id);
}

/** The one check with this id; fails when there is not exactly one. */
export function one<C extends Check>(checks: readonly C[], id: string): C {
  const found = byId(checks, id);
  if (found.length !== 1) {
    throw new Error(`expected one ${id}, got ${found.length}: ${JSON.stringify(checks.map((c) => c.id))}`);
  }
  return found[0]!;
}

export const PORTKEY = `model = "gpt-5"
model_provider = "portkey"

[model_providers.portkey]
name = "Portkey"
base_url = "https://api.portkey.ai/v1"
env_key = "PORTKEY_API_KEY"
wire_api = "responses"
http_headers = { "x-portkey-provider" = "@openai-prod" }
`;

/**
 * PATH with the pinned Codex 0.169.0 first (doctor finds `codex` on ctx.env.PATH, skipping
 * codexgw's own node_modules/.bin). Made on first use: it fails clearly when Codex is missing.
 */
const withCodex = () => `${codexPathDir('0.169.0')}${path.delimiter}${process.env.PATH}`;
/** PATH without Codex: the system directories only. */
export const WITHOUT_CODEX = '/usr/bin:/bin';

/** One in-process `codexgw doctor` run, with its wall time. */
export interface DoctorRun {
  code: number;
  out: string;
  err: string;
  ms: number;
}

/** Run `codexgw doctor <args>` in-process in the world, with Codex on PATH unless `env` says otherwise. */
export async function doctor(
  w: TempWorld,
  args: string[],
  o: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<DoctorRun> {
  const env = { ...w.env, SHELL: '/bin/bash', ...o.env, PATH: o.env?.PATH ?? withCodex() };
  const cap = captureContext({ cwd: o.cwd ?? w.work, env });
  const started = performance.now();
  const code = await main(['doctor', ...args], cap.ctx);
  return { code, out: cap.out(), err: cap.err(), ms: performance.now() - started };
}
