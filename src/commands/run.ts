import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import { pinHere, profileFacts } from '../app/pins.ts';
import { defineSpec, type OptionsOf } from '../command-spec.ts';
import { resolveCodexHome } from '../config/paths.ts';
import { type Context, tilde } from '../context.ts';
import { findOnPath } from '../doctor/gather.ts';
import { UserError } from '../errors.ts';
import { readCodexArgs } from '../shell/wrapper.ts';

export const spec = defineSpec({
  summary: 'run codex with the pinned profile of this project, as the codex wrapper does',
  args: [{ name: 'codex-args', variadic: true, description: 'the arguments for codex, after --' }],
  options: {},
  examples: ['codexgw run -- exec "fix the failing test"', 'codexgw run -- --profile other'],
  help: "For scripts and tools that start codex without a shell. The exit code is codex's own.",
});

/** Set in codex's environment, so a `codex` on PATH that calls `codexgw run` again is caught. */
const GUARD = 'CODEXGW_RUN_DEPTH';

export async function run(o: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const args = o.codexArgs ?? [];
  if (ctx.env[GUARD]) {
    throw new UserError('codexgw run started itself again: the codex on PATH runs codexgw run.', {
      hint: 'Point PATH at the real codex binary (codexgw run looks for the first codex on PATH).',
    });
  }
  const home = resolveCodexHome(ctx.env, ctx.cwd);
  const parsed = readCodexArgs(args);
  let full = args;
  if (!parsed.explicitProfile && !parsed.rejectsProfile) {
    const dir = parsed.cd === undefined ? ctx.cwd : path.resolve(ctx.cwd, parsed.cd);
    const pin = pinHere(home.dir, dir).pin;
    if (pin) {
      const facts = profileFacts(home.dir, pin.profile);
      if (!facts.exists) {
        throw new UserError(
          `This project is pinned to profile "${pin.profile}", but ${tilde(facts.file, ctx)} does not exist; not starting Codex with another provider.`,
          { hint: 'Create the profile, pass --profile <name>, or run: codexgw unpin' },
        );
      }
      full = ['--profile', pin.profile, ...args];
    }
  }
  const codex = findOnPath('codex', ctx.env);
  if (!codex) {
    throw new UserError('codex is not on PATH.', { hint: 'Install it: npm install -g @openai/codex' });
  }
  return spawnCodex(codex, full, ctx);
}

/** Run codex in the foreground; its exit code (128 + n for a signal) becomes ours. */
function spawnCodex(file: string, args: string[], ctx: Context): Promise<number> {
  // The terminal sends Ctrl-C to codex too; codexgw waits for codex to decide what it means.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: ctx.cwd,
      env: { ...ctx.env, [GUARD]: '1' },
      stdio: 'inherit',
    });
    child.once('error', (err) => {
      process.off('SIGINT', ignore);
      reject(new UserError(`Could not start ${file}: ${err.message}`, { cause: err }));
    });
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      const signo = signal ? (constants.signals as Record<string, number>)[signal] : undefined;
      resolve(code ?? 128 + (signo ?? 0));
    });
  });
}
