// Profile files ($CODEX_HOME/<name>.config.toml) as the commands see them: which exist, what they
// select, and the `-p` every suggested command needs.
import path from 'node:path';
import type { LoadedConfig } from '../config/layers.ts';
import { isTable } from '../config/overrides.ts';
import { listProfileFiles } from '../config/paths.ts';
import { readConfigSource } from '../config/source.ts';

export interface ProfileInfo {
  name: string;
  file: string;
  /** `model_provider` the file sets, if any. */
  provider: string | null;
  model: string | null;
  /** Provider ids the file defines. */
  defines: string[];
  /** Why the file could not be read (it is still listed). */
  error: string | null;
  /** The command that runs Codex with it. */
  command: string;
}

/** Every profile file of a Codex home, sorted by name. An unreadable file is listed with its error. */
export function listProfiles(homeDir: string): ProfileInfo[] {
  return listProfileFiles(homeDir).map((file) => {
    const name = path.basename(file, '.config.toml');
    const base = { name, file, command: `codex --profile ${name}` };
    try {
      const value = readConfigSource(file).value;
      return {
        ...base,
        provider: typeof value.model_provider === 'string' ? value.model_provider : null,
        model: typeof value.model === 'string' ? value.model : null,
        defines: isTable(value.model_providers) ? Object.keys(value.model_providers) : [],
        error: null,
      };
    } catch (err) {
      return { ...base, provider: null, model: null, defines: [], error: (err as Error).message };
    }
  });
}

/**
 * When a command ran without -p and the user config selects no provider, but profile files do:
 * one sentence naming them and the -p that shows them (undefined otherwise, or with -p).
 */
export function profilesNote(loaded: LoadedConfig, command: string): string | undefined {
  if (loaded.profile || typeof loaded.merged.model_provider === 'string') return undefined;
  const profiles = listProfiles(loaded.home.dir).filter((p) => p.provider !== null || p.defines.length > 0);
  if (profiles.length === 0) return undefined;
  const names = profiles.map((p) => p.name);
  const first = names[0]!;
  return `The user config selects no provider, but ${names.length === 1 ? 'profile' : 'profiles'} ${names.join(', ')} ${names.length === 1 ? 'does' : 'do'}: run \`${command} -p ${first}\` to include ${names.length === 1 ? 'it' : 'one'} (Codex: \`codex --profile ${first}\`).`;
}

/** The codexgw commands that take `-p <name>` (a suggestion of one of them needs it). */
const PROFILE_COMMANDS = [
  'use',
  'model set',
  'model list',
  'provider add',
  'provider set',
  'provider list',
  'provider show',
  'provider remove',
  'config show',
  'config get',
  'config set',
  'config unset',
  'doctor',
  'status',
  'validate',
];

/**
 * Add ` -p <profile>` to every suggested `codexgw <command> …` (in backticks) that takes it and
 * does not name a profile already: a fix shown under `doctor -p team` must act on team's file.
 */
export function withProfileFlag(text: string, profile: string | undefined): string {
  if (!profile) return text;
  return text.replace(/`codexgw ([^`]+)`/g, (whole, cmd: string) => {
    const takes = PROFILE_COMMANDS.some((c) => cmd === c || cmd.startsWith(`${c} `));
    if (!takes || /(^|\s)(-p|--profile)(\s|=|$)/.test(cmd)) return whole;
    return `\`codexgw ${cmd} -p ${profile}\``;
  });
}
