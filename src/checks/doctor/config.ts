import type { LoadedConfig } from '../../config/layers.ts';
import { KeyLocator } from '../../config/locate.ts';
import { isTable } from '../../config/overrides.ts';
import type { Finding } from '../finding.ts';
import { sortFindings } from '../finding.ts';
import { checkProvider } from '../rules.ts';
import { checkConfigFile } from '../validate.ts';
import { type ActiveProvider, activeProvider, validateFindings, where } from './active.ts';
import type { LegacyPlan, LegacyTablePlan } from './migrate.ts';
import { type Check, type CheckStatus, check, type DoctorInput, type FixOutcome } from './types.ts';

/**
 * The config group: CODEX_HOME, every config file Codex would read (validate's findings, reused
 * as they are), the selected profile file, legacy profiles and what `--fix` did about them.
 */
export function configChecks(input: DoctorInput): Check[] {
  const facts = input.config;
  if (facts.error) {
    return [
      check('config.home', 'error', facts.error.message, { file: facts.error.file, fix: facts.error.hint }),
    ];
  }
  const { loaded } = facts;
  const out: Check[] = [homeCheck(loaded)];
  if (input.fixed) out.push(...fixChecks(input.fixed));
  const profile = profileCheck(loaded);
  if (profile) out.push(profile);

  const active = activeProvider(loaded);
  const findings = sortFindings([
    ...validateFindings(loaded, input.rules),
    ...facts.otherProfiles.flatMap((f) => checkConfigFile(f, input.rules)),
  ]).filter((f) => !claimedElsewhere(f, loaded, active));
  for (const f of findings) out.push(fromFinding(f, input.legacy, loaded));
  const stripped = strippedProviderChecks(loaded);
  out.push(...stripped);
  if (input.legacy) out.push(...conflictChecks(input.legacy));

  if (findings.length === 0 && stripped.length === 0) {
    const files = existingFiles(
      loaded,
      facts.otherProfiles.map((f) => f.file),
    );
    const n =
      files.length === 1 ? '1 config file loads and matches' : `${files.length} config files load and match`;
    out.push(
      files.length > 0
        ? check('config.files', 'ok', `${n} Codex 0.169's schema: ${files.join(', ')}`)
        : check(
            'config.files',
            'warning',
            `No Codex config file here (${loaded.home.dir}/config.toml does not exist): Codex runs with its defaults, the built-in OpenAI provider, no gateway.`,
            { fix: 'Run `codexgw init` to set up a gateway provider.' },
          ),
    );
  }
  return out;
}

/**
 * Provider tables in project files never apply (Codex strips `model_providers` there), so validate
 * does not check them. Guides still tell people to put them there; when they move the table to
 * the user config, what Codex would refuse in it (wire_api = "chat", no name) comes along: say so now.
 */
function strippedProviderChecks(loaded: LoadedConfig): Check[] {
  const out: Check[] = [];
  for (const layer of loaded.layers) {
    const source = layer.source;
    if (layer.kind !== 'project' || !source?.exists || !isTable(source.value.model_providers)) continue;
    let locator: KeyLocator | undefined;
    for (const [id, table] of Object.entries(source.value.model_providers)) {
      if (!isTable(table)) continue;
      for (const f of checkProvider(id, table)) {
        locator ??= new KeyLocator(source.text);
        out.push(
          check(
            `config.${f.id}`,
            'warning',
            `${f.message.replace(/: Codex refuses to load this config[^.]*/, '')} This table is in a project file, where Codex ignores it; moved to the user config as it is, it would break Codex.`,
            { file: source.file, line: locator.find(f.path)?.line, fix: f.fix },
          ),
        );
      }
    }
  }
  return out;
}

function homeCheck(loaded: LoadedConfig): Check {
  const { home } = loaded;
  const how = home.fromEnv
    ? '(from $CODEX_HOME)'
    : home.exists
      ? '(the default, ~/.codex)'
      : '(the default, ~/.codex; it does not exist yet, Codex creates it)';
  return check('config.home', 'ok', `Codex home: ${home.dir} ${how}`);
}

function profileCheck(loaded: LoadedConfig): Check | undefined {
  const layer = loaded.layers.find((l) => l.kind === 'profile');
  if (!layer?.file || !loaded.profile) return undefined;
  if (layer.source && !layer.source.exists) {
    return check(
      'config.profile',
      'warning',
      `--profile ${loaded.profile}: ${layer.file} does not exist, so \`codex --profile ${loaded.profile}\` runs exactly as without it.`,
      {
        file: layer.file,
        fix: `Create it, e.g. \`codexgw use <provider> --profile ${loaded.profile}\`, or check the name.`,
      },
    );
  }
  if (layer.error) return undefined; // the file's own finding says what is wrong with it
  return check(
    'config.profile',
    'ok',
    `Profile ${loaded.profile}: ${layer.file} is layered over config.toml`,
    {
      file: layer.file,
    },
  );
}

/**
 * Findings the provider group reports itself, for the active provider, with a status line in
 * every case: `model_provider` naming an undefined provider, and the active provider's wire_api.
 */
function claimedElsewhere(f: Finding, loaded: LoadedConfig, active: ActiveProvider): boolean {
  if (f.id === 'unknown-model-provider') return true;
  if (
    (f.id === 'wire-api-chat' || f.id === 'wire-api-invalid') &&
    f.key === `model_providers.${active.id}.wire_api`
  ) {
    const origin = loaded.originOf(['model_providers', active.id, 'wire_api']);
    return origin?.file === f.file && origin?.line === f.line;
  }
  return false;
}

const SEVERITY: Record<Finding['severity'], CheckStatus> = {
  error: 'error',
  warning: 'warning',
  info: 'warning',
};

function fromFinding(f: Finding, legacy: LegacyPlan | undefined, loaded: LoadedConfig): Check {
  const base = check(`config.${f.id}`, SEVERITY[f.severity], f.message, {
    file: f.file,
    line: f.line,
    fix: f.fix,
  });
  if (f.id !== 'legacy-profiles-table' || !legacy || f.file !== legacy.configFile) return base;
  const name = f.key?.split('.').slice(1).join('.') ?? '';
  const table = legacy.tables.find((t) => t.name === name);
  if (!table) return base;
  // `codex --profile <name>` is a hard error while the legacy table exists: that matters when the
  // profile is in use (its file exists, or doctor itself runs with it).
  const inUse = table.targetExists || loaded.profile === name;
  const message = inUse
    ? `Legacy \`[profiles.${name}]\` is ignored by Codex, and \`codex --profile ${name}\` fails while it is in config.toml.`
    : base.message;
  return { ...base, status: inUse ? 'error' : 'warning', message, fix: legacyFix(table) };
}

function legacyFix(table: LegacyTablePlan): string {
  if (table.blocked) {
    return `Move its keys by hand into a profile file ($CODEX_HOME/<name>.config.toml) and delete the table: ${table.blocked}.`;
  }
  if (table.conflicts.length > 0) {
    return `Settle the conflicting keys listed below, then run \`codexgw doctor --fix\` to move the rest into ${table.target}.`;
  }
  return `Run \`codexgw doctor --fix\`: it moves the table into ${table.target} and removes it from config.toml (with a backup).`;
}

/** One check per key a legacy table and its profile file set to different values. */
function conflictChecks(plan: LegacyPlan): Check[] {
  const out: Check[] = [];
  for (const table of plan.tables) {
    for (const c of table.conflicts) {
      const key = c.path.join('.');
      out.push(
        check(
          'config.legacy-profile-conflict',
          'error',
          `\`[profiles.${table.name}] ${key}\` in config.toml and ${table.target} set different values; \`doctor --fix\` never overwrites the profile file, so this key stays in config.toml (and \`codex --profile ${table.name}\` keeps failing) until you choose.`,
          {
            file: plan.configFile,
            line: c.line,
            fix: `Keep the value you want in ${table.target}, delete \`${key}\` from [profiles.${table.name}] at ${where({ file: plan.configFile, line: c.line })}, then run \`codexgw doctor --fix\` again.`,
          },
        ),
      );
    }
  }
  return out;
}

function fixChecks(fixed: FixOutcome): Check[] {
  if (fixed.error) {
    return [
      check('config.fix', 'error', `--fix changed nothing: ${fixed.error.message}`, {
        file: fixed.configFile,
        fix: fixed.error.hint ?? null,
      }),
    ];
  }
  const applied = fixed.applied ?? [];
  if (fixed.moved.length === 0 && fixed.selectorRemoved === undefined && applied.length === 0) {
    return [check('config.fix', 'skipped', '--fix: nothing left that it can change.')];
  }
  const backups = fixed.backups.length
    ? ` Backup: ${fixed.backups.join(', ')} (\`codexgw restore\` undoes it).`
    : '';
  const out: Check[] = [];
  for (const m of fixed.moved) {
    out.push(
      check(
        'config.fix',
        'ok',
        `Moved ${m.keys === 1 ? '1 key' : `${m.keys} keys`} of [profiles.${m.name}] into ${m.target}${m.created ? ' (new file)' : ''}${m.alreadyThere ? ` (${m.alreadyThere} more already there)` : ''}; run \`codex --profile ${m.name}\` to use them.${backups}`,
        { file: m.target },
      ),
    );
  }
  for (const a of applied) {
    out.push(check('config.fix', 'ok', `Fixed: ${a.summary}${backups}`, { file: a.file }));
  }
  if (fixed.selectorRemoved !== undefined) {
    const name = fixed.selectorRemoved;
    out.push(
      check(
        'config.fix',
        'ok',
        `Removed \`profile = "${name}"\` from config.toml: Codex has no default profile any more, run \`codex --profile ${name}\` instead.${backups}`,
        { file: fixed.configFile },
      ),
    );
  }
  return out;
}

function existingFiles(loaded: LoadedConfig, others: string[]): string[] {
  const files = loaded.layers.filter((l) => l.file && l.source?.exists).map((l) => l.file!);
  for (const f of others) if (!files.includes(f)) files.push(f);
  return files;
}
