import { applyPlans, configTarget, planConfigEdit } from '../../app/write-config.ts';
import { DRY_RUN, defineSpec, JSON_OUTPUT, KEY_STORE, type OptionsOf } from '../../command-spec.ts';
import { TomlDocument } from '../../config/document.ts';
import { type Context, println, tilde } from '../../context.ts';
import { EXIT, UsageError, UserError } from '../../errors.ts';
import { backupDirOf } from '../../io/backup.ts';
import { commitPlans } from '../../io/commit.ts';
import { askConfirm } from '../../io/prompts.ts';
import { maskSecret } from '../../io/redact.ts';
import { formatPlannedDiff } from '../../io/safe-write.ts';
import { envKeyProviders, findKeys, planRcEdits, scrubBackups } from '../../keys/migrate.ts';
import { setProviderAuth } from '../../keys/provider-auth.ts';
import { announceKeySave, assertKey, type KeySave, prepareKeySave } from '../../keys/save.ts';
import { STORE_CHOICES } from '../../keys/store.ts';
import { formatEditsDiff } from '../../shell/apply.ts';
import { readEnvState, resolveEnvTarget } from '../../shell/state.ts';

export const spec = defineSpec({
  summary: 'move keys from the rc block, its secrets file or the environment into the keychain',
  args: [{ name: 'provider-id', description: 'one provider (or --all)' }],
  options: {
    all: { kind: 'flag', description: 'every provider of config.toml that reads an env_key' },
    store: {
      kind: 'value',
      value: 'store',
      choices: STORE_CHOICES,
      description: 'keychain (the default where one is usable) or file ($CODEX_HOME/codexgw-keys.json, 0600)',
    },
    yes: { kind: 'flag', short: 'y', description: 'do not ask for confirmation' },
    dryRun: DRY_RUN,
    json: {
      ...JSON_OUTPUT,
      description: 'print JSON: {moved, skipped, dryRun, files, diff, backupsRewritten}',
    },
    shell: { ...KEY_STORE.shell, description: 'shell whose rc file holds the keys (default: from $SHELL)' },
    rcFile: {
      ...KEY_STORE.rcFile,
      description: 'take the keys from this rc file instead of the shell default',
    },
  },
  examples: ['codexgw key migrate --all', 'codexgw key migrate portkey --store file --yes'],
  help: "Each provider gets auth = { command, args } in place of env_key, and codexgw's exports of the key are removed. Backups that held a key are rewritten to read it from the store, so `codexgw restore` still undoes the move and no backup keeps the key.\nExit codes: 0 moved (or nothing to move), 1 a key could not be found or stored, 2 bad usage, 3 a file could not be written, 130 not confirmed.",
});

/** What `key migrate --json` prints: the keys moved (masked) and the files written, never a key. */
export interface MigrateResult {
  moved: { provider: string; variable: string; from: string; masked: string; store: string }[];
  skipped: { provider: string; reason: string }[];
  dryRun: boolean;
  files: { file: string; changed: boolean; created: boolean; backup: string | null }[];
  diff: string;
  backupsRewritten: number;
}

export async function run(opts: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  if (!opts.all && opts.providerId === undefined)
    throw new UsageError('Say which provider to migrate, or pass --all.', {
      hint: 'e.g. codexgw key migrate --all',
    });
  if (opts.all && opts.providerId !== undefined)
    throw new UsageError('Pass a provider id or --all, not both.');
  const target = configTarget(ctx, undefined);
  const rcTarget = resolveEnvTarget({ shell: opts.shell, rcFile: opts.rcFile }, ctx);
  const rc = readEnvState(rcTarget);
  const plan0 = planConfigEdit(target, () => undefined);
  const doc = TomlDocument.parse(plan0.before ?? '', target.file);
  const candidates = envKeyProviders(doc);
  const wanted = opts.all ? candidates : candidates.filter((p) => p.id === opts.providerId);
  if (!opts.all && wanted.length === 0) {
    throw new UserError(
      `Provider "${opts.providerId}" in ${target.label} reads no env_key: there is nothing to migrate.`,
      {
        hint: 'codexgw key list shows where each provider gets its key.',
      },
    );
  }
  const { found, skipped } = findKeys(wanted, rc, ctx.env);
  const c = ctx.errColor;
  const result: MigrateResult = {
    moved: [],
    skipped: skipped.map((s) => ({ provider: s.providerId, reason: s.reason })),
    dryRun: Boolean(opts.dryRun),
    files: [],
    diff: '',
    backupsRewritten: 0,
  };
  const report = () => {
    if (opts.json) println(ctx.stdout, JSON.stringify(result, null, 2));
    return EXIT.ok;
  };
  for (const s of skipped) println(ctx.stderr, `${c.warn('!')} Skipping "${s.providerId}": ${s.reason}.`);
  if (found.length === 0) {
    if (!opts.all)
      throw new UserError(`No key found for "${opts.providerId}".`, {
        hint: `Store one with: codexgw key set ${opts.providerId}`,
      });
    println(ctx.stderr, 'No keys to move.');
    return report();
  }
  for (const m of found) assertKey(m.secret, m.providerId);

  const saves: KeySave[] = [];
  for (const m of found) {
    const save = await prepareKeySave(m.providerId, opts.store, ctx);
    if (saves.length === 0) announceKeySave(save, m.secret, ctx);
    else println(ctx.stderr, `The key of "${m.providerId}" (${maskSecret(m.secret)}) goes there too.`);
    saves.push(save);
  }
  for (const m of found) println(ctx.stderr, c.dim(`  ${m.providerId}: ${m.varName} from ${m.from}`));

  // Variables another provider still reads stay exported.
  const migrated = new Set(found.map((m) => m.providerId));
  const keep = new Set(candidates.filter((p) => !migrated.has(p.id)).map((p) => p.varName));
  const configPlan = planConfigEdit(target, (d) => {
    for (const [i, m] of found.entries()) setProviderAuth(d, m.providerId, saves[i]!.auth);
  });
  const rcEdits = planRcEdits(rc, found, keep);
  result.moved = found.map((m, i) => ({
    provider: m.providerId,
    variable: m.varName,
    from: m.from,
    masked: maskSecret(m.secret),
    store: saves[i]!.location.backend.kind,
  }));
  result.diff = formatPlannedDiff([configPlan]) + formatEditsDiff(rcEdits);
  result.files = [configPlan, ...rcEdits].map((p) => ({
    file: p.file,
    changed: p.after !== (p.before ?? ''),
    created: p.before === undefined,
    backup: null,
  }));
  if (!opts.json) {
    ctx.stdout.write(formatPlannedDiff([configPlan], ctx.color));
    ctx.stdout.write(formatEditsDiff(rcEdits, ctx.color));
  }
  for (const m of found) {
    if (m.inBlock) continue;
    if (rc.rc.text.includes(m.secret))
      println(
        ctx.stderr,
        c.dim(`Your own export of ${m.varName} in ${tilde(rc.rc.file, ctx)} goes too (see the diff).`),
      );
    else
      println(
        ctx.stderr,
        `${c.warn('!')} ${m.varName} is set in this environment, but not by codexgw or ${tilde(rc.rc.file, ctx)}: remove that export by hand once Codex works.`,
      );
  }
  if (opts.dryRun) {
    println(ctx.stderr, c.dim('Dry run: nothing was written or stored.'));
    return report();
  }
  if (!opts.yes) {
    const ok = await askConfirm(ctx, {
      message: 'Move these keys and rewrite the files?',
      flag: '--yes',
      default: true,
    });
    if (!ok) {
      println(ctx.stderr, 'Cancelled. Nothing was written.');
      return EXIT.cancelled;
    }
  }
  for (const [i, m] of found.entries()) await saves[i]!.save(m.secret);
  const written = opts.json
    ? await commitPlans([configPlan, ...rcEdits], ctx)
    : ((await applyPlans([configPlan, ...rcEdits], ctx, false)) ?? []);
  result.files = written.map((r) => ({
    file: r.file,
    changed: r.changed,
    created: r.created,
    backup: r.backup?.name ?? null,
  }));
  const backupDir = backupDirOf(target.home.dir);
  const scrubbed = scrubBackups(
    backupDir,
    found.map((m, i) => ({ varName: m.varName, secret: m.secret, auth: saves[i]!.auth })),
  );
  println(
    ctx.stderr,
    `${c.ok('✓')} Moved ${found.length} key${found.length === 1 ? '' : 's'} to ${saves[0]!.location.backend.label}.`,
  );
  if (scrubbed.length > 0)
    println(
      ctx.stderr,
      c.dim(
        `Rewrote ${scrubbed.length} backup${scrubbed.length === 1 ? '' : 's'} in ${tilde(backupDir, ctx)} so none holds a key; restoring one exports the key read from the store.`,
      ),
    );
  const backups = written.flatMap((r) => (r.backup ? [r.backup.name] : []));
  if (backups.length > 0)
    println(ctx.stderr, c.dim(`Undo: ${backups.map((b) => `codexgw restore ${b}`).join(' && ')}`));
  if (rcEdits.length > 0)
    println(ctx.stderr, c.dim('Open a new terminal: the old exports are gone from it.'));
  result.backupsRewritten = scrubbed.length;
  return report();
}
