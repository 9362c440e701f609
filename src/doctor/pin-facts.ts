// The I/O half of doctor's pin checks (src/checks/doctor/pin.ts): the pin that applies here, its
// profile and key, and the codex wrapper in the user's shell.
import { pinHere, profileFacts } from '../app/pins.ts';
import type { PinFacts } from '../checks/doctor/pin.ts';
import type { RcFacts } from '../checks/doctor/types.ts';
import { type LoadedConfig, loadConfig } from '../config/layers.ts';
import { knownProviderIds, providerInfo } from '../config/providers.ts';
import type { Context } from '../context.ts';
import { type EnvState, readEnvState, resolveEnvTarget } from '../shell/state.ts';
import { findCodexRedefinition } from '../shell/wrapper.ts';
import { wrapperStatus } from '../shell/wrapper-install.ts';
import { findAllOnPath } from './gather.ts';

/** Undefined when no pin applies in ctx.cwd (doctor then says nothing about pins). */
export function gatherPinFacts(
  ctx: Pick<Context, 'cwd' | 'env'>,
  loaded: LoadedConfig | undefined,
  rc: Pick<RcFacts, 'vars'>,
): PinFacts | undefined {
  if (!loaded) return undefined;
  const here = pinHere(loaded.home.dir, ctx.cwd);
  if (!here.pin) return undefined;
  const { root, profile } = here.pin;
  const facts = profileFacts(loaded.home.dir, profile);
  let providerDefined = false;
  let envKey: string | undefined;
  if (facts.exists && facts.provider) {
    try {
      const withProfile = loadConfig({ cwd: ctx.cwd, env: ctx.env, profile, onError: 'collect' });
      providerDefined = knownProviderIds(withProfile).includes(facts.provider);
      envKey = providerInfo(withProfile, facts.provider, ctx.env)?.envKey ?? undefined;
    } catch {
      providerDefined = false;
    }
  }
  return {
    root,
    profile,
    file: here.file,
    profileFile: facts.file,
    profileExists: facts.exists,
    provider: facts.provider,
    providerDefined,
    envKey,
    envKeySet: envKey === undefined || Boolean(ctx.env[envKey]?.trim()),
    envKeyInRc: envKey !== undefined && rc.vars.some((v) => v.name === envKey),
    wrapper: wrapperFacts(ctx, loaded.home.dir),
    codexOnPath: findAllOnPath('codex', ctx.env),
  };
}

function wrapperFacts(ctx: Pick<Context, 'cwd' | 'env'>, codexHomeDir: string): PinFacts['wrapper'] {
  let state: EnvState;
  try {
    state = readEnvState(resolveEnvTarget({}, ctx));
  } catch {
    // No shell to tell, or a damaged block: the env checks already report that.
    return undefined;
  }
  const status = wrapperStatus(state, codexHomeDir);
  const { syntax } = state.target;
  const after = findCodexRedefinition(state.rc.scan.lines, syntax, state.rc.scan.block);
  const later = state.later
    .map((f) => ({ file: f.file, hit: findCodexRedefinition(f.lines, syntax) }))
    .find((f) => f.hit);
  const shadowedAt = after
    ? { file: state.rc.file, ...after }
    : later?.hit
      ? { file: later.file, ...later.hit }
      : undefined;
  return {
    shell: state.target.shell,
    rcFile: state.rc.file,
    installed: status.loads !== undefined,
    current: status.current,
    shadowedAt,
  };
}
