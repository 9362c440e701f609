import { readFileSync, writeFileSync } from 'node:fs';
import type { TomlDocument } from '../config/document.ts';
import { isTable } from '../config/overrides.ts';
import { FileError } from '../errors.ts';
import { listBackups, readBackup } from '../io/backup.ts';
import type { PlannedEdit } from '../shell/plan.ts';
import { planUnset } from '../shell/plan.ts';
import type { Syntax } from '../shell/quote.ts';
import { buildEnvState, type EnvState, fileStateOf } from '../shell/state.ts';
import { assignsVar, type MovedKey, redactKeys, syntaxOfFile } from './redact.ts';

/** One provider `key migrate` moves: its variable, where the value was found, and the value. */
export interface Migration {
  providerId: string;
  varName: string;
  secret: string;
  /** "the codexgw block in ~/.bashrc", "the environment". */
  from: string;
  /** Whether codexgw's block exports it (then the export is removed). */
  inBlock: boolean;
}

export interface Skipped {
  providerId: string;
  reason: string;
}

/** The providers of a config file that read an env_key (and so can move to the store). */
export function envKeyProviders(doc: TomlDocument): { id: string; varName: string }[] {
  const providers = doc.get(['model_providers']);
  if (!isTable(providers)) return [];
  const out: { id: string; varName: string }[] = [];
  for (const [id, table] of Object.entries(providers)) {
    if (isTable(table) && typeof table.env_key === 'string' && table.auth === undefined)
      out.push({ id, varName: table.env_key });
  }
  return out;
}

/** Find each provider's key: codexgw's rc block (or its secrets file) first, then the environment. */
export function findKeys(
  wanted: readonly { id: string; varName: string }[],
  rc: EnvState | undefined,
  env: NodeJS.ProcessEnv,
): { found: Migration[]; skipped: Skipped[] } {
  const found: Migration[] = [];
  const skipped: Skipped[] = [];
  for (const { id, varName } of wanted) {
    const managed = rc?.vars.find((v) => v.name === varName);
    const value = managed?.value ?? env[varName];
    if (value === undefined || value.trim() === '') {
      skipped.push({
        providerId: id,
        reason: `${varName} is neither in codexgw's block nor set in this environment`,
      });
      continue;
    }
    found.push({
      providerId: id,
      varName,
      secret: value,
      from: managed ? `codexgw's block (${managed.file}:${managed.line})` : 'this environment',
      inBlock: Boolean(managed),
    });
  }
  return { found, skipped };
}

/**
 * The rc edits: unset every moved variable from codexgw's block (and secrets file), then drop any
 * other export of a moved key in the rc file (the user's own line, shown in the diff first).
 * `keep` are variables other providers still read: they stay.
 */
export function planRcEdits(
  rc: EnvState,
  moved: readonly Migration[],
  keep: ReadonlySet<string>,
): PlannedEdit[] {
  const edits = new Map<string, PlannedEdit>();
  let state = rc;
  for (const m of moved) {
    if (!m.inBlock || keep.has(m.varName) || !state.vars.some((v) => v.name === m.varName)) continue;
    for (const e of planUnset(state, m.varName).edits) {
      const first = edits.get(e.file);
      edits.set(e.file, first ? { ...e, before: first.before } : e);
    }
    const text = (f: { file: string; text: string }) => edits.get(f.file)?.after ?? f.text;
    const secrets = state.secrets
      ? fileStateOf(state.secrets.file, text(state.secrets), state.target.syntax)
      : undefined;
    state = buildEnvState(
      state.target,
      fileStateOf(state.rc.file, text(state.rc), state.target.syntax),
      secrets,
      state.later,
    );
  }
  const syntax = rc.target.syntax;
  const rcText = edits.get(rc.rc.file)?.after ?? rc.rc.text;
  const dropped = dropExports(
    rcText,
    syntax,
    moved.filter((m) => !keep.has(m.varName)),
  );
  if (dropped !== rcText) {
    const prior = edits.get(rc.rc.file);
    const before = prior?.before ?? (rc.rc.exists ? rc.rc.text : undefined);
    edits.set(rc.rc.file, {
      file: rc.rc.file,
      before,
      after: dropped,
      syntax,
      // A change since the plan is a conflict: the user reviews this diff before it is written.
      rebase: (current) => {
        if (current !== before)
          throw new FileError(`${rc.rc.file} changed while codexgw was planning the migration.`, {
            file: rc.rc.file,
            hint: 'Run codexgw key migrate again.',
          });
        return dropped;
      },
    });
  }
  return [...edits.values()];
}

function dropExports(text: string, syntax: Syntax, moved: readonly Migration[]): string {
  if (!moved.some((m) => text.includes(m.secret))) return text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return text
    .split(/\r?\n/)
    .filter((line) => !moved.some((m) => line.includes(m.secret) && assignsVar(syntax, line, m.varName)))
    .join(eol);
}

/**
 * Rewrite every backup in `dir` that holds a moved key (redactKeys): the migration's own backups
 * and older ones. Returns the backups changed.
 */
export function scrubBackups(dir: string, moved: readonly MovedKey[]): string[] {
  const changed: string[] = [];
  for (const entry of listBackups(dir)) {
    const text = readBackup(entry).toString('utf8');
    if (!moved.some((m) => text.includes(m.secret))) continue;
    const redacted = redactKeys(text, syntaxOfFile(entry.file), moved);
    writeFileSync(entry.path, redacted, { mode: 0o600 });
    // Keep the listed size true (`codexgw restore --list` shows it).
    const metaFile = `${entry.path}.json`;
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(metaFile, `${JSON.stringify({ ...meta, size: Buffer.byteLength(redacted) }, null, 2)}\n`, {
      mode: 0o600,
    });
    changed.push(entry.name);
  }
  return changed;
}
