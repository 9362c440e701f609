import type { RulesInUse } from '../../codex/rules.ts';
import type { LoadedConfig } from '../../config/layers.ts';
import type { CodexgwError } from '../../errors.ts';
import type { FetchModelsResult, ProbeResult } from '../../io/http.ts';
import type { Shell } from '../../shell/quote.ts';
import type { FileToCheck } from '../validate.ts';
import type { AuthFacts } from './auth.ts';
import type { LegacyPlan } from './migrate.ts';
import type { PinFacts } from './pin.ts';

/**
 * The vocabulary of `codexgw doctor`: facts gathered by I/O code (src/doctor/gather.ts) go in as a
 * DoctorInput, the pure check functions of each group turn them into Checks, the command renders.
 */

export type CheckStatus = 'ok' | 'warning' | 'error' | 'skipped';

/** Groups in the order the checklist prints them; a check's id starts with its group. */
export const GROUPS = ['config', 'provider', 'env', 'model', 'codex', 'online'] as const;
export type CheckGroup = (typeof GROUPS)[number];

export interface Check {
  /** Stable id, `<group>.<name>` (e.g. `provider.wire-api`). */
  id: string;
  status: CheckStatus;
  message: string;
  file: string | null;
  line: number | null;
  /** What to do about it: a command to run where one exists. Null for ok and skipped checks. */
  fix: string | null;
}

export function groupOf(check: Pick<Check, 'id'>): CheckGroup {
  return check.id.slice(0, check.id.indexOf('.')) as CheckGroup;
}

export interface DoctorOptions {
  online: boolean;
  request: boolean;
  profile: string | undefined;
  timeoutMs: number;
  /** --codex-version: whose rules to apply, instead of the codex on PATH's. */
  codexVersion?: string | undefined;
}

/** The config as Codex would load it here, or why it could not be loaded at all. */
export type ConfigFacts =
  | {
      loaded: LoadedConfig;
      /** Profile files not selected with --profile: checked on their own, as validate does. */
      otherProfiles: FileToCheck[];
      error?: undefined;
    }
  | { loaded?: undefined; error: CodexgwError };

/** One variable assignment codexgw manages (the rc block, or the secrets file it sources). */
export interface RcVar {
  name: string;
  value: string;
  file: string;
  line: number;
}

/** A file holding key values: its permission bits (undefined on Windows) and git status. */
export interface SecretFile {
  file: string;
  mode: number | undefined;
  tracked: boolean;
}

export interface RcFacts {
  shell: Shell | undefined;
  /** The rc file codexgw manages for this shell; undefined when the shell cannot be told. */
  file: string | undefined;
  /** Why there is no rc file to look at (e.g. $SHELL unset). */
  unknownReason?: string | undefined;
  /** The managed block could not be read safely (edited by hand). */
  damaged?: { message: string; file: string; line: number | undefined; hint: string | undefined } | undefined;
  vars: RcVar[];
  /** Managed variables assigned again after the block (that assignment wins in the shell). */
  overridden: { name: string; file: string; line: number; same: boolean | undefined }[];
  secretFiles: SecretFile[];
}

/** One check of `codex doctor --json` (schemaVersion 1). */
export interface CodexDoctorCheck {
  id: string;
  status: string;
  summary: string;
  remediation: string | null;
  details: Record<string, string>;
}

export type CodexDoctorFacts =
  | { state: 'skipped'; reason: string }
  | { state: 'failed'; reason: string }
  | { state: 'done'; checks: CodexDoctorCheck[] };

export interface CodexFacts {
  /** Absolute path of the `codex` found on PATH. */
  path: string | undefined;
  /** `codex --version` output (`codex-cli 0.169.0`), or why it failed. */
  version: { ok: true; text: string } | { ok: false; reason: string } | undefined;
  doctor: CodexDoctorFacts;
}

export interface OnlineFacts {
  /** `GET <base>/models`; undefined when not probed (not --online, or nothing to probe). */
  models: FetchModelsResult | undefined;
  /** `POST <base>/responses`; undefined unless --online --request. */
  request: ProbeResult | undefined;
  /** The base URL probed, for messages. */
  baseUrl: string | undefined;
  /** Why nothing was probed although --online was given (no gateway provider, a bad base URL, …). */
  skipReason: string | undefined;
}

/** What `doctor --fix` did (before the facts were gathered again). */
export interface FixOutcome {
  /** Legacy tables moved (whole or in part) into profile files. */
  moved: { name: string; target: string; keys: number; alreadyThere: number; created: boolean }[];
  /** The `profile = "x"` selector removed from config.toml. */
  selectorRemoved: string | undefined;
  configFile: string;
  /** Names of the backups of the files changed, for `codexgw restore <name>`. */
  backups: string[];
  /** Set when nothing could be written (the files are unchanged). */
  error: { message: string; hint: string | undefined } | undefined;
  /** The other fixes made (wire_api, ignored keys, a project's provider moved, trust), one sentence each. */
  applied?: { summary: string; file: string }[] | undefined;
}

export interface DoctorInput {
  options: DoctorOptions;
  config: ConfigFacts;
  /** Legacy profiles in the user config.toml, planned for migration; undefined when there are none. */
  legacy: LegacyPlan | undefined;
  /** Set when `--fix` ran. */
  fixed: FixOutcome | undefined;
  /** The environment doctor runs in (values are secrets: checks mask them). */
  env: NodeJS.ProcessEnv;
  rc: RcFacts;
  codex: CodexFacts;
  online: OnlineFacts;
  /** The `codexgw pin` that applies here; undefined when none does. */
  pin?: PinFacts | undefined;
  /** The active provider's auth command, run; undefined when it has none. */
  auth?: AuthFacts | undefined;
  /** The Codex rules the checks apply (--codex-version, the codex on PATH, or the newest shipped). */
  rules: RulesInUse;
  /** The file model_catalog_json names (models Codex gets metadata for beyond its bundled catalog). */
  modelCatalog?: ModelCatalogFacts | undefined;
}

export interface ModelCatalogFacts {
  file: string;
  /** The model slugs in it; undefined when it could not be read. */
  slugs: string[] | undefined;
  error?: string | undefined;
}

export function check(
  id: string,
  status: CheckStatus,
  message: string,
  extra: {
    file?: string | null | undefined;
    line?: number | null | undefined;
    fix?: string | null | undefined;
  } = {},
): Check {
  return { id, status, message, file: extra.file ?? null, line: extra.line ?? null, fix: extra.fix ?? null };
}
