import path from 'node:path';
import { resolveCodexHome } from '../config/paths.ts';
import type { Context } from '../context.ts';
import { maskSecret, registerSecret, registerSecretEnvName } from '../io/redact.ts';
import type { WriteResult } from '../io/safe-write.ts';
import { readTextFile } from '../io/text-file.ts';
import { applyEdits } from './apply.ts';
import { assertStorableEnvName } from './env-names.ts';
import { type EnvPlan, type PlannedEdit, planSet } from './plan.ts';
import { assertValue, assertVarName, type Shell } from './quote.ts';
import { bashLoginHook, homeDir, secretsFileName } from './rc-path.ts';
import {
  buildEnvState,
  type Conflict,
  type EnvState,
  type EnvTarget,
  type EnvTargetOptions,
  fileStateOf,
  findConflicts,
  readEnvState,
  readFileState,
  resolveEnvTarget,
} from './state.ts';
import { type ShellWarning, secretFileWarnings } from './warnings.ts';

export interface StoreKeyOptions extends EnvTargetOptions {
  varName: string;
  /** The key itself. Never printed; only its mask appears in notes and warnings. */
  value: string;
  /** Keep values in $CODEX_HOME/codexgw.env (0600); the rc block only sources it. */
  secretsFile?: boolean | undefined;
}

/** What storing a key would do: the file edits, and what to tell the user. Holds no printable secret. */
export interface KeyPlan extends EnvPlan {
  target: EnvTarget;
  varName: string;
  /** The value's mask (`sk-…abcd`), for messages. */
  masked: string;
  /** True when the same value is already in place: nothing to write. */
  unchanged: boolean;
  warnings: ShellWarning[];
}

/** `$CODEX_HOME/codexgw.env` (or .fish / .ps1): where --secrets-file keeps values. */
export function secretsFilePath(shell: Shell, ctx: Pick<Context, 'env' | 'cwd'>): string {
  return path.join(resolveCodexHome(ctx.env, ctx.cwd).dir, secretsFileName(shell));
}

/**
 * Plan storing VAR=value in the managed block of the user's shell (nothing is written). `init`
 * and `provider add --key-stdin` call this to show every diff and write the rc edits in the
 * same transaction as the config; `env set` renders it. Throws UsageError for a bad name or
 * value, FileError for an unreadable rc file or a hand-edited block.
 */
export async function planStoreKey(opts: StoreKeyOptions, ctx: Context): Promise<KeyPlan> {
  assertVarName(opts.varName);
  assertStorableEnvName(opts.varName);
  assertValue(opts.value, opts.varName);
  const target = resolveEnvTarget(opts, ctx);
  const state = readEnvState(target);
  const secrets = opts.secretsFile
    ? readFileState(secretsFilePath(target.shell, ctx), target.syntax)
    : undefined;
  const loginHook =
    target.shell === 'bash' && target.platform === 'darwin' && target.isDefault
      ? bashLoginHook(homeDir(ctx.env, target.platform), (f) => readTextFile(f))
      : undefined;
  // The key is masked wherever it would show up: diffs, notes, errors.
  registerSecret(opts.value);
  registerSecretEnvName(opts.varName);
  const plan = planSet(state, [[opts.varName, opts.value]], { secrets, loginHook });
  const unchanged = plan.edits.length === 0;
  if (loginHook && loginHook.after === undefined && !unchanged) plan.notes.push(loginHook.note);

  const warnings: ShellWarning[] = [];
  const after = stateAfter(state, plan.edits);
  for (const c of findConflicts(after, [opts.varName])) warnings.push(conflictWarning(c));
  warnings.push(
    ...(await secretFileWarnings(plan.valueFile, ctx.env, {
      suggestSecretsFile: plan.valueFile === target.rcFile,
      platform: target.platform,
    })),
  );
  const current = ctx.env[opts.varName];
  if (current !== undefined && current !== opts.value) {
    warnings.push({
      code: 'differs-from-environment',
      message: `${opts.varName} in this shell has a different value (${maskSecret(current)}); new terminals get the one in ${plan.valueFile}.`,
      hint: activateHint(target.shell),
    });
  }
  return { ...plan, target, varName: opts.varName, masked: maskSecret(opts.value), unchanged, warnings };
}

/** The state the planned edits would leave (for conflict checks against the new block). */
function stateAfter(state: EnvState, edits: readonly PlannedEdit[]): EnvState {
  const { target } = state;
  const textOf = (file: string, fallback: string) => edits.find((e) => e.file === file)?.after ?? fallback;
  const rc = fileStateOf(state.rc.file, textOf(state.rc.file, state.rc.text), target.syntax);
  const source = rc.scan.block?.source?.file;
  let secrets = state.secrets;
  if (source !== undefined) {
    const known = state.secrets?.file === source ? state.secrets.text : undefined;
    const text = edits.find((e) => e.file === source)?.after ?? known ?? readTextFile(source) ?? '';
    secrets = fileStateOf(source, text, target.syntax);
  }
  return buildEnvState(target, rc, secrets, state.later);
}

/** A conflict as a warning: where the other assignment is and which one the shell ends up with. */
export function conflictWarning(c: Conflict): ShellWarning {
  const what =
    c.value === undefined
      ? ' (a value the shell computes)'
      : c.same
        ? ' with the same value'
        : ' with a different value';
  const where = `${c.file}:${c.line}`;
  if (c.winner === 'other') {
    const why = c.file.endsWith('config.fish')
      ? 'fish runs config.fish after conf.d/, so that line wins'
      : 'that line runs later, so it wins';
    return {
      code: 'exported-elsewhere',
      message: `${c.name} is also set at ${where}${what}; ${why}${c.same ? '' : ' and the value codexgw manages is not used'}.`,
      hint: `Delete that line (codexgw manages ${c.name} now), or move it above the "# >>> codexgw >>>" line.`,
      file: c.file,
      line: c.line,
    };
  }
  return {
    code: 'exported-elsewhere',
    message: `${c.name} is also set at ${where}${what}; the codexgw block runs later, so the block wins.`,
    hint: 'Delete that line to keep the key in one place.',
    file: c.file,
    line: c.line,
  };
}

/** How to load the managed variables into the shell that is already open. */
export function activateHint(shell: Shell): string {
  switch (shell) {
    case 'fish':
      return 'Open a new terminal, or load them here: codexgw env print --shell fish | source';
    case 'pwsh':
      return 'Open a new terminal, or load them here: codexgw env print --shell pwsh | Out-String | Invoke-Expression';
    default:
      return 'Open a new terminal, or load them here: eval "$(codexgw env print)"';
  }
}

export interface StoreKeyResult extends KeyPlan {
  dryRun: boolean;
  /** What the write layer did per file (empty for a dry run or an unchanged key). */
  written: WriteResult[];
}

/**
 * Plan and, unless `dryRun`, write: the convenience for callers that store a key on its own.
 * Callers that also change config (init) should call `planStoreKey` and commit its `edits` in
 * their own transaction. Prints nothing; see `printKeyReport` and `formatEditsDiff`.
 */
export async function storeKey(
  opts: StoreKeyOptions & { dryRun?: boolean | undefined },
  ctx: Context,
): Promise<StoreKeyResult> {
  const plan = await planStoreKey(opts, ctx);
  const dryRun = Boolean(opts.dryRun);
  const written = dryRun ? [] : await applyEdits(plan.edits, ctx);
  return { ...plan, dryRun, written };
}
