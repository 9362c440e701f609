// `config set` / `config unset`: one key of one config file, checked against Codex's rules before
// anything is written.
import path from 'node:path';
import type { Finding } from '../checks/finding.ts';
import { checkConfigFile, type FileToCheck } from '../checks/validate.ts';
import { TomlDocument } from '../config/document.ts';
import { PROJECT_DENYLIST } from '../config/layers.ts';
import { findProjectRoot, resolveCodexHome } from '../config/paths.ts';
import { parseUserKey } from '../config/render.ts';
import { type ConfigSource, parseToml, readConfigSource } from '../config/source.ts';
import { formatKeyPath, getIn } from '../config/toml-format.ts';
import { type Context, tilde } from '../context.ts';
import { UsageError } from '../errors.ts';
import { isSecretPath } from '../io/redact.ts';
import { type ConfigTarget, configTarget } from './write-config.ts';

/** The file `config set`/`unset` edits: the user config, a profile file, or the project's file. */
export interface EditTarget extends ConfigTarget {
  kind: 'user' | 'profile' | 'project';
}

export function editTarget(
  ctx: Context,
  o: { profile?: string | undefined; project?: boolean | undefined },
): EditTarget {
  if (o.project && o.profile) {
    throw new UsageError('--project and --profile name different files; pass one of them.', {
      hint: 'e.g. codexgw config set model gpt-5.5 --project',
    });
  }
  if (o.project) {
    const home = resolveCodexHome(ctx.env, ctx.cwd);
    const file = path.join(findProjectRoot(ctx.cwd), '.codex', 'config.toml');
    return { home, file, profile: undefined, label: tilde(file, ctx), kind: 'project' };
  }
  return { ...configTarget(ctx, o.profile), kind: o.profile ? 'profile' : 'user' };
}

/** A value from the command line: TOML when it parses as a TOML value (`true`, `3`, `["a"]`), else a string. */
export function parseCliValue(text: string): unknown {
  try {
    const v = parseToml(`v = ${text}`, 'value').v;
    return v;
  } catch {
    return text;
  }
}

/** Keys `config set` never writes, with why and what to do instead. */
function refusal(
  keyPath: readonly string[],
  kind: EditTarget['kind'],
): { why: string; hint: string } | undefined {
  const key = formatKeyPath(keyPath);
  const top = keyPath[0]!;
  if (top === 'profile' || top === 'profiles') {
    return {
      why: `\`${key}\` is a legacy profile setting: Codex refuses \`profile = "…"\`, and \`[profiles.*]\` makes \`codex --profile\` fail.`,
      hint: 'Write the settings into a profile file instead: codexgw config set <key> <value> -p <name>, then run `codex --profile <name>`.',
    };
  }
  if (isSecretPath([...keyPath])) {
    return {
      why: `\`${key}\` holds a credential, and codexgw never writes secrets into a config file.`,
      hint: 'Keep the key in an environment variable: set env_key (or env_http_headers) to its name, then `codexgw env set <VAR>`.',
    };
  }
  if (kind === 'project' && (PROJECT_DENYLIST as readonly string[]).includes(top)) {
    return {
      why: `Codex ignores \`${top}\` in a project file (it strips it from .codex/config.toml), so it would never apply.`,
      hint:
        top === 'model_provider' || top === 'model_providers'
          ? 'Put it in a profile file (`-p <name>`) and run `codex --profile <name>` in this project (or `codexgw pin <name>`).'
          : 'Set it in the user config (drop --project) or in a profile file (-p <name>).',
    };
  }
  return undefined;
}

export interface PlannedSet {
  keyPath: string[];
  value: unknown;
  previous: unknown;
  doc: TomlDocument;
  source: ConfigSource;
}

/**
 * Plan `key = value` in the target file and check the result as Codex would (schema types and
 * enums, provider rules): a finding about the key that the file did not have before refuses the
 * edit with the finding's fix (the allowed values for an enum). Nothing is written here.
 */
export function planSet(
  target: EditTarget,
  key: string,
  valueText: string,
  opts: { force?: boolean | undefined } = {},
): PlannedSet {
  const keyPath = parseUserKey(key);
  const no = refusal(keyPath, target.kind);
  if (no) throw new UsageError(`Not set: ${no.why}`, { hint: no.hint });
  const value = parseCliValue(valueText);
  const source = readConfigSource(target.file);
  const doc = TomlDocument.parse(source.text, target.file);
  const previous = getIn(source.value, keyPath);
  doc.set(keyPath, value);
  const problems = newProblems(target, source, doc, keyPath).filter(
    (f) => opts.force !== true || f.severity === 'error',
  );
  if (problems.length > 0) {
    const f = problems[0]!;
    const why = f.message.replace(
      /: (Codex[^:]*?) refuses to load this config\.?$/,
      ': $1 would refuse to load the file.',
    );
    throw new UsageError(`Not set: ${why}`, {
      file: target.file,
      hint: `${f.fix ?? 'See `codexgw validate`.'}${f.severity === 'error' ? '' : ' (Pass --force to write it anyway.)'} Nothing was written.`,
    });
  }
  return { keyPath, value, previous, doc, source };
}

/** Findings about `keyPath` (or under it) in the edited file that the file on disk does not have. */
function newProblems(
  target: EditTarget,
  source: ConfigSource,
  doc: TomlDocument,
  keyPath: string[],
): Finding[] {
  const check = (text: string, exists: boolean): Finding[] => {
    const value = parseToml(text, target.file, { bigint: true });
    const file: FileToCheck = {
      kind: target.kind,
      file: target.file,
      source: { file: target.file, exists, text, hasBom: false, value },
    };
    return checkConfigFile(file).filter(
      (f) => f.id !== 'unknown-model-provider' && f.id !== 'project-untrusted',
    );
  };
  const sig = (f: Finding) => `${f.id}\u0000${f.key}\u0000${f.message}`;
  const before = new Set(source.exists ? check(source.text, true).map(sig) : []);
  const dotted = formatKeyPath(keyPath);
  const plain = keyPath.join('.');
  return check(doc.text, true).filter(
    (f) =>
      !before.has(sig(f)) &&
      (f.key === null ||
        f.key === plain ||
        f.key.startsWith(`${plain}.`) ||
        plain.startsWith(`${f.key}.`) ||
        f.key === dotted),
  );
}
