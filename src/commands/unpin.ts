import path from 'node:path';
import { pinHere, updatePins, withoutPin } from '../app/pins.ts';
import { defineSpec, JSON_OUTPUT, type OptionsOf } from '../command-spec.ts';
import { resolveCodexHome } from '../config/paths.ts';
import { type Context, println, tilde } from '../context.ts';
import { EXIT } from '../errors.ts';

export const spec = defineSpec({
  summary: 'remove the pin that applies in a directory (codex uses the user config there again)',
  args: [{ name: 'dir', description: 'a directory of the pinned project (default: the current one)' }],
  options: { json: JSON_OUTPUT },
  examples: ['codexgw unpin', 'codexgw unpin ~/src/client-a --json'],
});

/** What `unpin --json` prints: the pin removed (null when none applied) and any that still applies. */
export interface UnpinResult {
  dir: string;
  unpinned: { root: string; profile: string } | null;
  file: string | null;
  stillApplies: { root: string; profile: string } | null;
}

export async function run(o: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const home = resolveCodexHome(ctx.env, ctx.cwd);
  const dir = o.dir === undefined ? ctx.cwd : path.resolve(ctx.cwd, o.dir);
  const here = pinHere(home.dir, dir);
  const result: UnpinResult = { dir: here.dir, unpinned: null, file: null, stillApplies: null };
  if (!here.pin) {
    if (o.json) println(ctx.stdout, JSON.stringify(result, null, 2));
    println(
      ctx.stderr,
      `No pin applies in ${tilde(here.dir, ctx)}. Nothing to change (see codexgw pin --list).`,
    );
    return EXIT.ok;
  }
  const root = here.pin.root;
  const file = await updatePins(home.dir, (current) => withoutPin(current, root), ctx);
  println(
    ctx.stderr,
    `${ctx.errColor.ok('✓')} Unpinned ${tilde(here.pin.root, ctx)} (was profile "${here.pin.profile}"), in ${tilde(file, ctx)}. codex uses the user config there again.`,
  );
  const outer = pinHere(home.dir, dir).pin;
  result.unpinned = { root, profile: here.pin.profile };
  result.file = file;
  result.stillApplies = outer ? { root: outer.root, profile: outer.profile } : null;
  if (o.json) println(ctx.stdout, JSON.stringify(result, null, 2));
  if (outer)
    println(
      ctx.stderr,
      `Profile "${outer.profile}" still applies here, pinned for ${tilde(outer.root, ctx)}.`,
    );
  return EXIT.ok;
}
