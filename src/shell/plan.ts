import { UserError } from '../errors.ts';
import type { PlannedWrite } from '../io/safe-write.ts';
import { type BlockChange, type Include, removeBlock, updateBlock } from './block.ts';
import type { Syntax } from './quote.ts';
import { type BashLoginHook, withLoginHook } from './rc-path.ts';
import { type EnvState, type FileState, findManagedVar } from './state.ts';

/**
 * One file codexgw means to write, as the safe-write layer takes it (`commitWrites`), plus what
 * a diff of it needs: its syntax, so every value in it can be masked. Only edits that change a
 * file are planned. `rebase` re-applies the same change to newer content, so two codexgw runs
 * setting different variables at once both land.
 */
export interface PlannedEdit extends PlannedWrite {
  syntax: Syntax;
  rebase: (current: string | undefined) => string;
}

export interface EnvPlan {
  edits: PlannedEdit[];
  /** What the change does, in sentences that name files and variables but never a value. */
  notes: string[];
  /** The file that holds the values after the change (rc file or secrets file). */
  valueFile: string;
}

/** A file codexgw creates may hold a key: only its owner may read it. */
const PRIVATE = 0o600;

function edit(state: FileState, syntax: Syntax, change: (text: string) => string): PlannedEdit[] {
  const after = change(state.text);
  // A missing file reads as '', so "no block to remove" plans nothing rather than an empty file.
  if (after === state.text) return [];
  return [
    {
      file: state.file,
      before: state.exists ? state.text : undefined,
      after,
      syntax,
      mode: PRIVATE,
      rebase: (current) => change(current ?? ''),
    },
  ];
}

const blockEdit = (state: FileState, syntax: Syntax, change: BlockChange) =>
  edit(state, syntax, (text) => updateBlock(text, syntax, change, state.file));

export interface PlanSetOptions {
  /**
   * The secrets file to keep values in (--secrets-file), already read. Ignored when the block
   * already sources a secrets file: that one stays in use.
   */
  secrets?: FileState | undefined;
  /** macOS bash: the login-file hook to add along with the block. */
  loginHook?: BashLoginHook | undefined;
}

/**
 * Set variables. Values go into the rc block, or into the secrets file when the block already
 * sources one or `opts.secrets` asks for one; switching to a secrets file moves the values
 * already in the rc block there, so the rc file ends up holding no key at all.
 */
export function planSet(
  state: EnvState,
  vars: ReadonlyArray<readonly [string, string]>,
  opts: PlanSetOptions = {},
): EnvPlan {
  const { rc } = state;
  const { syntax } = state.target;
  const secrets = state.secrets ?? opts.secrets;
  const notes: string[] = [];
  const edits: PlannedEdit[] = [];
  let valueFile = rc.file;
  if (!secrets) {
    edits.push(...blockEdit(rc, syntax, { set: vars }));
  } else {
    valueFile = secrets.file;
    const moved = (rc.scan.block?.vars ?? []).map((v) => [v.name, v.value] as const);
    if (state.secrets && opts.secrets && opts.secrets.file !== state.secrets.file) {
      notes.push(
        `The block in ${rc.file} already sources ${state.secrets.file}; kept using it, not ${opts.secrets.file}.`,
      );
    }
    if (moved.length > 0) {
      notes.push(`Moved ${moved.map(([n]) => n).join(', ')} from ${rc.file} to ${secrets.file}.`);
    }
    edits.push(...blockEdit(secrets, syntax, { set: [...moved, ...vars] }));
    edits.push(...blockEdit(rc, syntax, { source: secrets.file, unset: moved.map(([n]) => n) }));
  }
  const hook = opts.loginHook;
  if (hook?.after !== undefined && edits.length > 0) {
    edits.push({
      file: hook.file,
      before: hook.before,
      after: hook.after,
      syntax: 'sh',
      mode: 0o644,
      rebase: (current) => withLoginHook(current) ?? current ?? '',
    });
    notes.push(hook.note);
  }
  return { edits, notes, valueFile };
}

/** Remove one variable from the block (and from the secrets file). Unknown → UserError (exit 1). */
export function planUnset(state: EnvState, name: string): EnvPlan {
  const { rc, secrets } = state;
  const { syntax } = state.target;
  if (!findManagedVar(state, name)) {
    const listed = state.vars.map((v) => v.name);
    throw new UserError(`${name} is not in the codexgw block of ${rc.file}.`, {
      file: rc.file,
      hint:
        listed.length > 0
          ? `The block sets ${listed.join(', ')}. codexgw only removes lines it wrote.`
          : 'There is nothing to unset. codexgw only removes lines it wrote (see codexgw env list).',
    });
  }
  const edits: PlannedEdit[] = [];
  if (secrets?.scan.block?.vars.some((v) => v.name === name)) {
    edits.push(...blockEdit(secrets, syntax, { unset: [name] }));
  }
  if (rc.scan.block?.vars.some((v) => v.name === name)) {
    edits.push(...blockEdit(rc, syntax, { unset: [name] }));
  }
  return { edits, notes: [], valueFile: secrets?.file ?? rc.file };
}

/** Remove the whole block, and the block of the secrets file it sources. */
export function planRemove(state: EnvState): EnvPlan {
  const { rc, secrets } = state;
  const { syntax } = state.target;
  const edits: PlannedEdit[] = [];
  const remove = (f: FileState) => edit(f, syntax, (text) => removeBlock(text, syntax, f.file));
  if (secrets) edits.push(...remove(secrets));
  edits.push(...remove(rc));
  return { edits, notes: [], valueFile: secrets?.file ?? rc.file };
}

/** A file codexgw generates for the block to load (the wrapper, a completion script). */
export interface GeneratedFile {
  file: string;
  /** Its current text; undefined when it does not exist. */
  before: string | undefined;
  text: string;
}

/**
 * Make the block load a generated file (writing or refreshing that file too), or stop loading
 * it (`generated` null: the file itself is left, harmless once nothing loads it).
 */
export function planInclude(state: EnvState, include: Include, generated: GeneratedFile | null): EnvPlan {
  const { rc } = state;
  const { syntax } = state.target;
  const edits: PlannedEdit[] = [];
  if (generated && generated.before !== generated.text) {
    edits.push({
      file: generated.file,
      before: generated.before,
      after: generated.text,
      syntax,
      mode: 0o644,
      rebase: () => generated.text,
    });
  }
  edits.push(...blockEdit(rc, syntax, { include: { [include]: generated ? generated.file : null } }));
  return { edits, notes: [], valueFile: rc.file };
}
