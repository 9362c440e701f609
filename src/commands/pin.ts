import { statSync } from 'node:fs';
import path from 'node:path';
import {
  assertPinnableRoot,
  type Pin,
  pinFor,
  pinHere,
  profileFacts,
  projectRootOf,
  readPins,
  updatePins,
  withPin,
} from '../app/pins.ts';
import { defineSpec, JSON_OUTPUT, KEY_STORE, type OptionsOf } from '../command-spec.ts';
import { loadConfig } from '../config/layers.ts';
import { assertProfileName, canonicalDir, resolveCodexHome } from '../config/paths.ts';
import { knownProviderIds } from '../config/providers.ts';
import { type Context, println, tilde } from '../context.ts';
import { CodexgwError, EXIT, UsageError, UserError } from '../errors.ts';
import { askConfirm } from '../io/prompts.ts';
import { applyEdits } from '../shell/apply.ts';
import { readEnvState, resolveEnvTarget } from '../shell/state.ts';
import { planWrapperInstall, wrapperStatus } from '../shell/wrapper-install.ts';

export const spec = defineSpec({
  summary: 'make codex use a profile inside a project (kept in $CODEX_HOME, never in the repo)',
  args: [
    { name: 'profile', description: 'a profile: $CODEX_HOME/<profile>.config.toml that sets model_provider' },
    { name: 'dir', description: 'a directory of the project (default: the current one)' },
  ],
  options: {
    list: { kind: 'flag', description: 'list every pin' },
    json: { ...JSON_OUTPUT, description: 'print JSON: the pin written, the pin that applies, or the pins' },
    wrapper: {
      kind: 'flag',
      description: 'install the codex wrapper in the rc block without asking',
      negatable: 'do not install the codex wrapper (and do not ask)',
    },
    shell: {
      ...KEY_STORE.shell,
      description: 'shell whose rc file gets the codex wrapper (default: $SHELL)',
    },
    rcFile: {
      ...KEY_STORE.rcFile,
      description: 'put the wrapper in this rc file instead of the shell default',
    },
  },
  examples: ['codexgw pin work', 'codexgw pin client-a ~/src/client-a', 'codexgw pin', 'codexgw pin --list'],
  help: [
    'The pin applies to the project containing <dir>: its root as Codex finds it (the nearest',
    'ancestor with .git, else <dir>), and every directory below it. The codex wrapper (a shell',
    'function in the managed rc block) then runs `codex --profile <profile>` there unless you pass',
    '--profile yourself; `codexgw run -- <codex args>` does the same without a shell.',
  ].join('\n'),
});

/** A pin as `--json` prints it. */
interface PinJson {
  root: string;
  profile: string;
  pinnedAt: string;
}
const pinJson = (p: Pin): PinJson => ({ root: p.root, profile: p.profile, pinnedAt: p.pinnedAt });

export async function run(o: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const home = resolveCodexHome(ctx.env, ctx.cwd);
  if (o.list) return listPins(home.dir, ctx, o.json);
  const dir = o.dir === undefined ? ctx.cwd : path.resolve(ctx.cwd, o.dir);
  if (!isDirectory(dir)) {
    throw new UsageError(`${dir} is not a directory.`, { hint: 'Pass a directory of the project to pin.' });
  }
  if (o.profile === undefined) {
    if (o.json) {
      const here = pinHere(home.dir, dir);
      println(
        ctx.stdout,
        JSON.stringify(
          {
            dir: here.dir,
            root: here.root,
            pin: here.pin ? pinJson(here.pin) : null,
            hint: here.hint ?? null,
          },
          null,
          2,
        ),
      );
    } else showPin(home.dir, dir, ctx);
    if (o.wrapper) await offerWrapper(o, home.dir, ctx);
    return EXIT.ok;
  }
  assertProfileName(o.profile);
  const loaded = loadConfig({ cwd: dir, env: ctx.env, profile: o.profile });
  checkProfile(home.dir, o.profile, knownProviderIds(loaded));
  const markers = loaded.merged.project_root_markers;
  const root = projectRootOf(
    dir,
    Array.isArray(markers) && markers.every((m) => typeof m === 'string') ? (markers as string[]) : undefined,
  );
  assertPinnableRoot(root);
  const pins = readPins(home.dir);
  const previous = pins.find((p) => p.root === root);
  const c = ctx.errColor;
  let written: { pin: Pin; file: string } | undefined;
  if (previous?.profile === o.profile) {
    println(
      ctx.stderr,
      `${tilde(root, ctx)} is already pinned to profile "${o.profile}". Nothing to change.`,
    );
  } else {
    const pin: Pin = { root, profile: o.profile, pinnedAt: ctx.now().toISOString() };
    const file = await updatePins(home.dir, (current) => withPin(current, pin), ctx);
    written = { pin, file };
    const was = previous ? ` (was "${previous.profile}")` : '';
    println(
      ctx.stderr,
      `${c.ok('✓')} Pinned ${tilde(root, ctx)} to profile "${o.profile}"${was}, in ${tilde(file, ctx)}.`,
    );
  }
  if (canonicalDir(dir) !== root)
    println(ctx.stderr, c.dim(`(${tilde(root, ctx)} is the project root of ${tilde(dir, ctx)})`));
  await offerWrapper(o, home.dir, ctx);
  if (o.json) {
    const result = {
      dir: canonicalDir(dir),
      root,
      profile: o.profile,
      changed: written !== undefined,
      previous: previous ? pinJson(previous) : null,
      pin: pinJson(written?.pin ?? previous!),
      file: written?.file ?? null,
    };
    println(ctx.stdout, JSON.stringify(result, null, 2));
  }
  return EXIT.ok;
}

/** A pin must name a profile file of the user's that chooses a provider the user config knows. */
function checkProfile(homeDir: string, name: string, known: readonly string[]): void {
  const facts = profileFacts(homeDir, name);
  if (!facts.exists) {
    throw new UserError(`There is no profile "${name}": ${facts.file} does not exist.`, {
      file: facts.file,
      hint: `Create it with: codexgw provider add <gateway> --profile ${name} --use (or codexgw use <id> --profile ${name}).`,
    });
  }
  if (facts.error) throw new UserError(`Cannot read profile "${name}": ${facts.error}`, { file: facts.file });
  if (facts.provider === undefined) {
    throw new UserError(
      `Profile "${name}" does not choose a provider: ${facts.file} has no model_provider.`,
      {
        file: facts.file,
        hint: `Set one with: codexgw use <provider-id> --profile ${name}`,
      },
    );
  }
  if (!known.includes(facts.provider)) {
    throw new UserError(
      `Profile "${name}" uses provider "${facts.provider}", which neither ${facts.file} nor the user config defines.`,
      {
        file: facts.file,
        hint: `Add it with: codexgw provider add <gateway> --id ${facts.provider} --profile ${name}`,
      },
    );
  }
}

function listPins(homeDir: string, ctx: Context, json: boolean | undefined): number {
  const pins = readPins(homeDir);
  if (json) {
    const rows = pins.map((p) => ({ ...pinJson(p), profileExists: profileFacts(homeDir, p.profile).exists }));
    println(ctx.stdout, JSON.stringify({ pins: rows }, null, 2));
    return EXIT.ok;
  }
  if (pins.length === 0) {
    println(ctx.stderr, 'No project is pinned. Pin one with: codexgw pin <profile> [<dir>]');
    return EXIT.ok;
  }
  const width = Math.max(...pins.map((p) => tilde(p.root, ctx).length));
  for (const p of pins) {
    const facts = profileFacts(homeDir, p.profile);
    const note = facts.exists ? '' : `  ${ctx.color.warn(`(missing: ${tilde(facts.file, ctx)})`)}`;
    println(ctx.stdout, `${tilde(p.root, ctx).padEnd(width)}  ${p.profile}${note}`);
  }
  return EXIT.ok;
}

function showPin(homeDir: string, dir: string, ctx: Context): void {
  const here = pinHere(homeDir, dir);
  const c = ctx.errColor;
  if (!here.pin) {
    println(ctx.stdout, `No pin applies in ${tilde(here.dir, ctx)} (project root ${tilde(here.root, ctx)}).`);
    println(
      ctx.stderr,
      c.dim('codex runs here with the user config. Pin a profile with: codexgw pin <profile>'),
    );
    if (here.hint) {
      println(
        ctx.stderr,
        `${c.info('hint:')} this repository suggests profile "${here.hint.profile}" (${tilde(here.hint.file, ctx)}). codexgw never applies it by itself; to use it: codexgw pin ${here.hint.profile}`,
      );
    }
    return;
  }
  const { pin } = here;
  const why =
    pin.root === here.dir
      ? 'this directory is pinned'
      : `it is inside ${tilde(pin.root, ctx)}, which is pinned`;
  println(ctx.stdout, `Profile "${pin.profile}" applies in ${tilde(here.dir, ctx)}: ${why}.`);
  println(
    ctx.stderr,
    c.dim(
      `Recorded in ${tilde(here.file, ctx)}${pin.pinnedAt ? ` on ${pin.pinnedAt.slice(0, 10)}` : ''}. codex (through the wrapper) runs here as codex --profile ${pin.profile}; codexgw unpin removes it.`,
    ),
  );
  if (here.hint && here.hint.profile !== pin.profile) {
    println(
      ctx.stderr,
      `${c.info('hint:')} the repository suggests profile "${here.hint.profile}" (${tilde(here.hint.file, ctx)}); your pin to "${pin.profile}" stays in force.`,
    );
  }
  const facts = profileFacts(homeDir, pin.profile);
  if (!facts.exists) {
    println(
      ctx.stderr,
      `${c.warn('!')} ${tilde(facts.file, ctx)} does not exist: the wrapper refuses to start codex here until it does.`,
    );
  }
  // Nested pins: the deeper one wins; say which one is hidden.
  const outer = pinFor(
    readPins(homeDir).filter((p) => p.root !== pin.root),
    here.dir,
  );
  if (outer)
    println(ctx.stderr, c.dim(`(it wins over the pin of ${tilde(outer.root, ctx)} to "${outer.profile}")`));
}

/**
 * Make sure the wrapper is installed for the user's shell: refresh it when it is, otherwise
 * install it with --wrapper, ask on a terminal, or say how. Never fails the pin itself.
 */
async function offerWrapper(o: OptionsOf<typeof spec>, homeDir: string, ctx: Context): Promise<void> {
  if (o.wrapper === false) return;
  const c = ctx.errColor;
  let state: ReturnType<typeof readEnvState>;
  try {
    state = readEnvState(resolveEnvTarget({ shell: o.shell, rcFile: o.rcFile }, ctx));
  } catch (err) {
    if (!(err instanceof CodexgwError) || o.wrapper) throw err;
    println(ctx.stderr, `${c.warn('!')} The codex wrapper is not installed: ${err.message}`);
    println(ctx.stderr, `  ${c.info('fix:')} codexgw pin --wrapper --shell <bash|zsh|fish|pwsh>`);
    return;
  }
  const status = wrapperStatus(state, homeDir);
  const shell = state.target.shell;
  if (status.loads && status.current) return;
  if (!status.loads && !o.wrapper) {
    const question = `Install the codex wrapper in ${tilde(status.rcFile, ctx)}, so that codex uses pins?`;
    const yes =
      ctx.interactive && (await askConfirm(ctx, { message: question, flag: '--wrapper', default: true }));
    if (!yes) {
      println(
        ctx.stderr,
        `${c.warn('!')} codex ignores pins until the wrapper is installed: codexgw pin --wrapper${o.shell ? ` --shell ${shell}` : ''} (or run codex through: codexgw run -- <codex args>)`,
      );
      return;
    }
  }
  const plan = planWrapperInstall(state, homeDir);
  await applyEdits(plan.edits, ctx);
  if (status.loads) {
    println(ctx.stderr, `${c.ok('✓')} Refreshed the codex wrapper (${tilde(status.file, ctx)}).`);
    return;
  }
  println(
    ctx.stderr,
    `${c.ok('✓')} Installed the codex wrapper: ${tilde(status.rcFile, ctx)} loads ${tilde(status.file, ctx)}.`,
  );
  println(
    ctx.stderr,
    c.dim(`Open a new terminal (or run: ${reloadHint(shell, status.rcFile)}) for codex to use pins.`),
  );
}

function reloadHint(shell: string, rcFile: string): string {
  return shell === 'pwsh' ? `. '${rcFile}'` : `source ${rcFile}`;
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
