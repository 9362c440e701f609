import { applyPlansReport, configTarget, planConfigEdit, type WriteReport } from '../../app/write-config.ts';
import { DRY_RUN, defineSpec, JSON_OUTPUT, type OptionsOf } from '../../command-spec.ts';
import { type Context, println } from '../../context.ts';
import { EXIT, UsageError } from '../../errors.ts';
import { trimPastedKey } from '../../io/pasted-key.ts';
import { askSecret } from '../../io/prompts.ts';
import { readStdinSecret } from '../../io/stdin.ts';
import { providerTable, setProviderAuth } from '../../keys/provider-auth.ts';
import { announceKeySave, assertKey, commandLine, prepareKeySave } from '../../keys/save.ts';
import { STORE_CHOICES } from '../../keys/store.ts';

export const spec = defineSpec({
  summary: "store a provider's key in the OS keychain (or a 0600 file); Codex reads it through auth",
  args: [{ name: 'provider-id', required: true, description: 'the [model_providers.<id>] table' }],
  options: {
    valueStdin: { kind: 'flag', description: 'read the key from stdin (for scripts and CI)' },
    store: {
      kind: 'value',
      value: 'store',
      choices: STORE_CHOICES,
      description: 'keychain (the default where one is usable) or file ($CODEX_HOME/codexgw-keys.json, 0600)',
    },
    profile: {
      kind: 'value',
      short: 'p',
      value: 'name',
      description: 'the provider is in $CODEX_HOME/<name>.config.toml instead of config.toml',
    },
    dryRun: DRY_RUN,
    json: { ...JSON_OUTPUT, description: 'print JSON: {provider, store, where, authCommand, write}' },
  },
  examples: ['codexgw key set portkey', 'printf %s "$KEY" | codexgw key set tfy --value-stdin --store file'],
  help: 'The provider gets auth = { command = …, args = […] } in place of env_key, so Codex started from a desktop app or an IDE finds the key too.\nExit codes: 0 stored, 1 the store refused (the message says why), 2 bad usage, 3 a file could not be written.',
});

export async function run(opts: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const id = opts.providerId;
  const target = configTarget(ctx, opts.profile);
  // An unknown provider fails before the key is asked for.
  planConfigEdit(target, (doc) => providerTable(doc, id));
  const typed = opts.valueStdin
    ? await readStdinSecret(ctx, 'the key', `printf %s "$KEY" | codexgw key set ${id} --value-stdin`)
    : await askKey(ctx, id);
  const secret = trimPastedKey(typed, ctx);
  assertKey(secret, id);
  const keySave = await prepareKeySave(id, opts.store, ctx);
  announceKeySave(keySave, secret, ctx);
  const plan = planConfigEdit(target, (doc) => {
    setProviderAuth(doc, id, keySave.auth);
  });
  const { backend, account } = keySave.location;
  const result: KeySetResult = {
    provider: id,
    store: backend.kind,
    where: backend.where(account),
    authCommand: [keySave.auth.command, ...keySave.auth.args],
    stored: false,
    write: null,
  };
  const report = (write: WriteReport | null) => {
    result.write = write;
    if (opts.json) println(ctx.stdout, JSON.stringify(result, null, 2));
  };
  if (opts.dryRun) {
    report(await applyPlansReport([plan], ctx, { dryRun: true, json: opts.json }));
    return EXIT.ok;
  }
  await keySave.save(secret);
  result.stored = true;
  const c = ctx.errColor;
  println(ctx.stderr, `${c.ok('✓')} Stored the key of "${id}".`);
  const write = plan.after !== plan.before ? await applyPlansReport([plan], ctx, { json: opts.json }) : null;
  println(ctx.stderr, c.dim(`Codex reads it with: ${commandLine(keySave.auth)}`));
  report(write);
  return EXIT.ok;
}

/** What `key set --json` prints (never the key: the store and the command that reads it). */
export interface KeySetResult {
  provider: string;
  /** keychain backend kind, or `file`. */
  store: string;
  where: string;
  authCommand: string[];
  stored: boolean;
  write: WriteReport | null;
}

async function askKey(ctx: Context, id: string): Promise<string> {
  if (!ctx.interactive) {
    throw new UsageError(`No key for "${id}": stdin is not a terminal, so codexgw cannot ask for it.`, {
      hint: `Pass it on stdin: printf %s "$KEY" | codexgw key set ${id} --value-stdin`,
    });
  }
  return askSecret(ctx, { message: `API key for provider "${id}" (input hidden):`, flag: '--value-stdin' });
}
