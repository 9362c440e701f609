import path from 'node:path';
import type { AuthFacts, AuthItemState } from '../checks/doctor/auth.ts';
import type { Context } from '../context.ts';
import { maskSecret } from '../io/redact.ts';
import { FileBackend } from '../keys/file-store.ts';
import type { Lookup } from '../keys/keychain.ts';
import { authOf } from '../keys/provider-auth.ts';
import { isExecutable, runProcess } from '../keys/run.ts';
import { backendOf, classifyAuth, findStoredKey } from '../keys/store.ts';
import { fileMode } from '../shell/warnings.ts';

/** Codex's default timeout_ms for an auth command. */
const CODEX_AUTH_TIMEOUT_MS = 5_000;

function itemState(lookup: Lookup): AuthItemState {
  if (lookup.status === 'found') return { state: 'present' };
  if (lookup.status === 'missing') return { state: 'missing' };
  return { state: 'unreadable', reason: lookup.reason, message: lookup.message, hint: lookup.hint };
}

/**
 * doctor's facts about provider `id`'s auth command: run it as Codex would (its timeout_ms, its
 * cwd, this environment) and, for a command codexgw wrote, ask the store about the item.
 */
export async function gatherAuthFacts(
  id: string,
  table: Record<string, unknown>,
  ctx: Pick<Context, 'env' | 'cwd'>,
): Promise<AuthFacts | undefined> {
  const auth = authOf(table);
  if (!auth) return undefined;
  const raw = table.auth as Record<string, unknown>;
  const timeoutMs =
    typeof raw.timeout_ms === 'number' || typeof raw.timeout_ms === 'bigint'
      ? Number(raw.timeout_ms)
      : CODEX_AUTH_TIMEOUT_MS;
  const absolute = path.isAbsolute(auth.command);
  const source = classifyAuth(auth);
  const started = Date.now();
  const [run, item] = await Promise.all([
    runProcess({ file: auth.command, args: auth.args }, ctx.env, timeoutMs),
    (async (): Promise<{
      item: AuthItemState;
      label: string | undefined;
      kind: AuthFacts['storeKind'];
      keyFile?: AuthFacts['keyFile'];
    }> => {
      if (source.kind === 'codexgw') {
        const { location, lookup } = await findStoredKey(source.providerId, ctx);
        const keyFile =
          location.backend instanceof FileBackend
            ? { file: location.backend.file, mode: fileMode(location.backend.file) }
            : undefined;
        return {
          item: itemState(lookup),
          label: location.backend.label,
          kind: location.backend.kind,
          keyFile,
        };
      }
      const backend = backendOf(source, ctx);
      if (!backend || source.kind === 'other')
        return { item: { state: 'unknown' }, label: undefined, kind: undefined };
      return { item: itemState(await backend.get(source.account)), label: backend.label, kind: backend.kind };
    })(),
  ]);
  return {
    providerId: id,
    command: auth.command,
    args: auth.args,
    timeoutMs,
    absolute,
    executable: absolute && isExecutable(auth.command),
    run: {
      exitCode: run.exitCode,
      timedOut: run.timedOut,
      stderr: run.stderr,
      spawnError: run.spawnError,
      ms: Date.now() - started,
    },
    token: run.stdout.trim(),
    maskedToken: maskSecret(run.stdout.trim()),
    item: item.item,
    storeLabel: item.label,
    storeKind: item.kind,
    keyFile: item.keyFile,
  };
}
