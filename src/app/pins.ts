// Pins: "the project at <root> uses profile <name>". They live in the user's own state,
// $CODEX_HOME/codexgw-pins.tsv, never in a repository: Codex strips provider keys from project
// files so that a repository cannot choose where code and keys go, and a pin keeps that promise.
// The file is also the map the shell wrapper (src/shell/wrapper.ts) reads with builtins only, so
// its format is deliberately plain: one `<root>\t<profile>\t<pinned-at>` line per pin.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { canonicalDir, findRoots, PROFILE_NAME, profileConfigPath } from '../config/paths.ts';
import { readConfigSource } from '../config/source.ts';
import type { Context } from '../context.ts';
import { UsageError } from '../errors.ts';
import { commitPlans } from '../io/commit.ts';
import { readTextFile } from '../io/text-file.ts';
import { PINS_FILE } from '../shell/wrapper.ts';

export { PINS_FILE };

const HEADER =
  '# codexgw pins: <project root> TAB <profile> TAB <pinned at>. Written by codexgw pin/unpin; read by the codex wrapper.';

export interface Pin {
  /** The project root, canonical and absolute (as Codex finds it). */
  root: string;
  profile: string;
  /** ISO time of the pin, for `pin --list`. */
  pinnedAt: string;
}

// ---- pure ---------------------------------------------------------------------------------------

/** Parse the pins file; comment, blank and malformed lines are skipped (the wrapper skips them too). */
export function parsePins(text: string): Pin[] {
  const out: Pin[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const [root, profile, pinnedAt = ''] = line.split('\t');
    if (!root || !profile || !PROFILE_NAME.test(profile)) continue;
    out.push({ root, profile, pinnedAt });
  }
  return out;
}

export function renderPins(pins: readonly Pin[]): string {
  const sorted = [...pins].sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
  return `${[HEADER, ...sorted.map((p) => `${p.root}\t${p.profile}\t${p.pinnedAt}`)].join('\n')}\n`;
}

/** `dir` is `root` or below it. */
export function isInside(dir: string, root: string, sep: string = path.sep): boolean {
  return dir === root || dir.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * The pin that applies in `dir` (canonical): the pinned root that contains it, the deepest one
 * when projects nest. The wrapper applies exactly this rule.
 */
export function pinFor(pins: readonly Pin[], dir: string, sep: string = path.sep): Pin | undefined {
  let best: Pin | undefined;
  for (const p of pins) {
    if (isInside(dir, p.root, sep) && (!best || p.root.length > best.root.length)) best = p;
  }
  return best;
}

/** The pins with `root` pinned to `profile` (replacing a pin of the same root). */
export function withPin(pins: readonly Pin[], pin: Pin): Pin[] {
  return [...pins.filter((p) => p.root !== pin.root), pin];
}

export function withoutPin(pins: readonly Pin[], root: string): Pin[] {
  return pins.filter((p) => p.root !== root);
}

/** A root the map can hold: one line, no tab, not the filesystem root. */
export function assertPinnableRoot(root: string): void {
  if (/[\t\n\r]/.test(root)) {
    throw new UsageError(`Cannot pin ${JSON.stringify(root)}: the path holds a tab or a line break.`, {
      hint: 'Rename the directory, or start Codex there with codex --profile <name>.',
    });
  }
  if (path.dirname(root) === root) {
    throw new UsageError(
      `Cannot pin ${root}: that is the filesystem root, so the pin would apply everywhere.`,
      {
        hint: 'Pin a project directory, or make the profile the default with codexgw use.',
      },
    );
  }
}

// ---- I/O ----------------------------------------------------------------------------------------

export function pinsFile(codexHomeDir: string): string {
  return path.join(codexHomeDir, PINS_FILE);
}

export function readPins(codexHomeDir: string): Pin[] {
  const text = readTextFile(pinsFile(codexHomeDir));
  return text === undefined ? [] : parsePins(text);
}

/**
 * Change the pins through the safe-write layer: locked, re-read and re-applied if another codexgw
 * changed the file meanwhile (two pins at once both land), atomic (the wrapper never reads half a
 * file), with a backup. Returns the file.
 */
export async function updatePins(
  codexHomeDir: string,
  change: (pins: Pin[]) => Pin[],
  ctx: Context,
): Promise<string> {
  const file = pinsFile(codexHomeDir);
  const apply = (text: string | undefined) => renderPins(change(text === undefined ? [] : parsePins(text)));
  const before = readTextFile(file);
  await commitPlans([{ file, before, after: apply(before), rebase: apply, mode: 0o644 }], ctx);
  return file;
}

/** The project a directory belongs to, as Codex finds it: nearest ancestor with `.git`, else itself. */
export function projectRootOf(dir: string, markers: readonly string[] = ['.git']): string {
  return findRoots(canonicalDir(dir), markers).projectRoot;
}

/** What applies in a directory: its project root, and the pin (if any) that covers it. */
export interface PinHere {
  dir: string;
  root: string;
  pin: Pin | undefined;
  file: string;
  /** The profile the repository suggests (never applied by itself). */
  hint: PinHint | undefined;
}

export function pinHere(codexHomeDir: string, dir: string): PinHere {
  const canonical = canonicalDir(dir);
  const pins = readPins(codexHomeDir);
  const root = projectRootOf(canonical);
  return {
    dir: canonical,
    root,
    pin: pinFor(pins, canonical),
    file: pinsFile(codexHomeDir),
    hint: readHint(root),
  };
}

/** What a profile file says about its provider, for `pin` and doctor. */
export interface ProfileFacts {
  name: string;
  file: string;
  exists: boolean;
  /** `model_provider` set in the profile file itself. */
  provider: string | undefined;
  /** Why it could not be read. */
  error: string | undefined;
}

export function profileFacts(codexHomeDir: string, name: string): ProfileFacts {
  const file = profileConfigPath(codexHomeDir, name);
  if (!existsSync(file)) return { name, file, exists: false, provider: undefined, error: undefined };
  try {
    const { value } = readConfigSource(file);
    const provider = typeof value.model_provider === 'string' ? value.model_provider : undefined;
    return { name, file, exists: true, provider, error: undefined };
  } catch (err) {
    return { name, file, exists: true, provider: undefined, error: (err as Error).message };
  }
}

/**
 * A repository may suggest a profile in `.codex/codexgw-profile` (one name). codexgw shows it and
 * offers `pin`, but never applies it: the repository only names a profile of the user's own, and
 * only the user decides that this project uses it.
 */
export const HINT_FILE = path.join('.codex', 'codexgw-profile');

export interface PinHint {
  file: string;
  profile: string;
}

/** The hint of the project at `root`; undefined when there is none or it is not a profile name. */
export function readHint(root: string): PinHint | undefined {
  const file = path.join(root, HINT_FILE);
  let text: string | undefined;
  try {
    text = readTextFile(file);
  } catch {
    return undefined;
  }
  const profile = text?.split('\n')[0]?.trim();
  return profile && PROFILE_NAME.test(profile) ? { file, profile } : undefined;
}
