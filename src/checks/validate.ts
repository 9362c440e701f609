import path from 'node:path';
import { type CodexRules, missingNamedFiles, type RulesInUse } from '../codex/rules.ts';
import type { Layer, LoadedConfig } from '../config/layers.ts';
import { KeyLocator } from '../config/locate.ts';
import { isTable } from '../config/overrides.ts';
import { didYouMean } from '../config/schema.ts';
import { type ConfigSource, readConfigSource, type TomlTable } from '../config/source.ts';
import { CodexgwError, EXIT } from '../errors.ts';
import type { Finding } from './finding.ts';
import { checkFile, defaultRulesInUse, type RawFinding } from './rules.ts';

/** One file to validate, already read (or with the error reading it gave). */
export interface FileToCheck {
  kind: Layer['kind'];
  file: string;
  source?: ConfigSource | undefined;
  error?: CodexgwError | undefined;
  /** Project layers: false when Codex would ignore the file because the project is not trusted. */
  trusted?: boolean | undefined;
  dir?: string | undefined;
}

/** Read one file for checking; an unreadable, unparsable or missing file becomes its error. */
export function readFileToCheck(kind: FileToCheck['kind'], file: string): FileToCheck {
  try {
    const source = readConfigSource(file);
    if (!source.exists) {
      return {
        kind,
        file,
        error: new CodexgwError(`${file} does not exist.`, EXIT.io, { file, hint: 'Check the path.' }),
      };
    }
    return { kind, file, source };
  } catch (err) {
    if (err instanceof CodexgwError) return { kind, file, error: err };
    throw err;
  }
}

/** Findings for one file on its own, with file:line:column. */
export function checkConfigFile(target: FileToCheck, inUse: RulesInUse = defaultRulesInUse()): Finding[] {
  if (target.error) return [errorFinding(target.error, target.file)];
  const source = target.source;
  if (!source?.exists) return [];
  const raw: RawFinding[] = [];
  let value = source.value;
  if (target.kind === 'project') {
    const { kept, removed } = stripProjectKeys(value, inUse.rules);
    value = kept;
    for (const p of removed) {
      const key = p.join('.');
      raw.push({
        id: 'project-ignored-key',
        // A warning that does not fail --strict: codex --strict-config strips these silently.
        severity: 'warning',
        message: `\`${key}\` is ignored in a project file: ${inUse.rules.version === undefined ? 'Codex' : `Codex ${inUse.rules.version}`} strips it from .codex/config.toml, so it never applies.`,
        path: p,
        fix:
          key === 'model_provider' || key === 'model_providers'
            ? 'Define and choose providers in the user config or a profile file: `codexgw provider add … --use`, or `codexgw use <id> --profile <name>` and run `codex --profile <name>`.'
            : 'Move it to the user config ($CODEX_HOME/config.toml) or a profile file.',
      });
    }
    if (target.trusted === false) {
      raw.push({
        id: 'project-untrusted',
        severity: 'info',
        message: `This project is not trusted, so Codex ignores ${path.relative(target.dir ?? '', target.file) || target.file} here.`,
        path: [],
        fix: `Trust it: add [projects."${target.dir}"] trust_level = "trusted" to the user config (or run \`codex exec --trust\` once in ${target.dir}).`,
      });
    }
  }
  raw.push(...checkFile(value, inUse));
  raw.push(...missingFiles(value, target.file, inUse.rules));
  if (target.kind === 'user' || target.kind === 'system') {
    raw.push(...checkModelProvider(value, value, inUse.rules));
  }
  return [...strayBom(source), ...impossibleDates(source), ...locate(raw, source)];
}

function hasDate(value: unknown): boolean {
  if (value instanceof Date) return true;
  if (Array.isArray(value)) return value.some(hasDate);
  return isTable(value) && Object.values(value).some(hasDate);
}

const DATE = /(?<![\w.:-])(\d{4})-(\d{2})-(\d{2})(?=$|[Tt ,\]}])/g;

/**
 * A TOML date that does not exist (Feb 30, Feb 29 of 2100): the TOML reader rolls it over to the
 * next month, Codex refuses the file ("invalid date, expected day between 01 and 29"). Looked for
 * in the text, outside strings and comments, only when the file has a date value at all.
 */
function impossibleDates(source: ConfigSource): Finding[] {
  if (!hasDate(source.value)) return [];
  const out: Finding[] = [];
  source.text.split('\n').forEach((text, i) => {
    const code = text.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, (m) => ' '.repeat(m.length)).replace(/#.*$/, '');
    for (const m of code.matchAll(DATE)) {
      const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const last = month >= 1 && month <= 12 ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0;
      if (day >= 1 && day <= last) continue;
      out.push({
        id: 'toml-syntax',
        severity: 'error',
        message: `\`${m[0]}\` is not a date that exists${last ? ` (day must be 01 to ${last})` : ' (month must be 01 to 12)'}: Codex refuses to parse the file.`,
        file: source.file,
        line: i + 1,
        column: (m.index ?? 0) + 1,
        key: null,
        fix: 'Correct the date.',
      });
    }
  });
  return out;
}

/**
 * Keys Codex strips from project files (the calibrated list: `features.x` names a nested one).
 * The same list as layers.ts's, which builds the merged view; a test holds the two together.
 */
export function stripProjectKeys(
  value: TomlTable,
  rules: CodexRules,
): { kept: TomlTable; removed: string[][] } {
  const kept: TomlTable = { ...value };
  const removed: string[][] = [];
  for (const entry of rules.projectStripped) {
    const [head, sub] = entry.split('.') as [string, string | undefined];
    if (sub === undefined) {
      if (head in kept) {
        delete kept[head];
        removed.push([head]);
      }
      continue;
    }
    const table = kept[head];
    if (isTable(table) && sub in table) {
      const { [sub]: _, ...rest } = table;
      kept[head] = rest;
      removed.push([head, sub]);
    }
  }
  return { kept, removed };
}

/** Files a key names that Codex reads at load and that do not exist: a missing one stops Codex. */
function missingFiles(value: TomlTable, file: string, rules: CodexRules): RawFinding[] {
  return missingNamedFiles(value, file, rules).map(({ key, resolved }) => ({
    id: 'missing-file',
    severity: 'error',
    message: `\`${key}\` names ${resolved}, which does not exist: Codex ${rules.version} refuses to start.`,
    path: [key],
    fix: `Create the file, or correct the path (relative paths are read from ${path.dirname(file)}).`,
  }));
}

/** A byte-order mark anywhere but the start is a stray character to TOML: Codex refuses the file. */
function strayBom(source: ConfigSource): Finding[] {
  const at = source.text.indexOf('\uFEFF', source.text.startsWith('\uFEFF') ? 1 : 0);
  if (at < 0) return [];
  const before = source.text.slice(0, at);
  const line = before.split('\n').length;
  return [
    {
      id: 'toml-syntax',
      severity: 'error',
      message: 'A byte-order mark (U+FEFF) in the middle of the file: Codex refuses to parse it.',
      file: source.file,
      line,
      column: at - before.lastIndexOf('\n'),
      key: null,
      fix: 'Delete the invisible U+FEFF character (a BOM is allowed only as the first character).',
    },
  ];
}

/**
 * The whole setup as Codex would load it here: every layer's own findings (project layers checked
 * whether or not they are trusted), plus what only shows after merging (`model_provider` naming a
 * provider that no layer defines).
 */
export function checkLoadedConfig(loaded: LoadedConfig, inUse: RulesInUse = defaultRulesInUse()): Finding[] {
  const out: Finding[] = [];
  for (const layer of loaded.layers) {
    if (layer.kind === 'override' || !layer.file) continue;
    if (layer.kind === 'system' && !layer.source?.exists && !layer.error) continue;
    out.push(
      ...checkConfigFile(
        {
          kind: layer.kind,
          file: layer.file,
          source: layer.source,
          error: layer.error,
          trusted: layer.kind === 'project' ? layer.loaded || Boolean(layer.error) : undefined,
          dir: layer.dir,
        },
        inUse,
      )
        .filter((f) => f.id !== 'unknown-model-provider')
        .map((f) => (f.id === 'mcp-no-transport' ? transportSuppliedElsewhere(f, loaded) : f)),
    );
  }
  // -c overrides merge into the files' tables, so they are checked on the merged view: a finding
  // counts when an override wrote the value it is about.
  if (loaded.layers.some((l) => l.kind === 'override')) {
    for (const f of checkFile(loaded.merged, inUse)) {
      if (loaded.originOf(f.path.map(String))?.layer !== 'override') continue;
      out.push({
        id: f.id,
        severity: f.severity,
        message: `${f.message} (from a -c override)`,
        file: null,
        line: null,
        column: null,
        key: f.path.join('.'),
        fix: f.fix,
      });
    }
  }
  // model_provider is checked once on the merged view (a profile may define what the user file selects).
  const merged = checkModelProvider(loaded.merged, loaded.merged, inUse.rules);
  for (const f of merged) {
    const origin = loaded.originOf(['model_provider']);
    out.push({
      id: f.id,
      severity: f.severity,
      message: f.message,
      file: origin?.file ?? null,
      line: origin?.line ?? null,
      column: origin?.column ?? null,
      key: 'model_provider',
      fix: f.fix,
    });
  }
  return dedupe(out);
}

function transportSuppliedElsewhere(f: Finding, loaded: LoadedConfig): Finding {
  const id = f.key?.split('.')[1] ?? '';
  const servers = loaded.merged.mcp_servers;
  const merged = isTable(servers) ? servers[id] : undefined;
  if (!isTable(merged) || (merged.command === undefined && merged.url === undefined)) return f;
  return {
    ...f,
    severity: 'warning',
    message: `MCP server \`${id}\` has neither \`command\` nor \`url\` in this file; another layer supplies it, but codex --strict-config checks each file and refuses this one ("invalid transport").`,
  };
}

function checkModelProvider(value: TomlTable, providersFrom: TomlTable, rules: CodexRules): RawFinding[] {
  const id = value.model_provider;
  if (typeof id !== 'string') return [];
  const defined = isTable(providersFrom.model_providers) ? Object.keys(providersFrom.model_providers) : [];
  if (defined.includes(id) || rules.providers.builtin.includes(id) || rules.providers.removed.includes(id)) {
    return [];
  }
  const guess = didYouMean(id, [...defined, 'openai']);
  const known = defined.length
    ? `Defined providers: ${defined.join(', ')}.`
    : 'No [model_providers.*] table is defined.';
  return [
    {
      id: 'unknown-model-provider',
      severity: 'error',
      message: `\`model_provider = "${id}"\` names a provider that is not defined: Codex refuses to load this config. ${known}`,
      path: ['model_provider'],
      fix: guess
        ? `Did you mean "${guess}"? Run \`codexgw use ${guess}\`.`
        : `Add it with \`codexgw provider add <gateway> --id ${id}\`, or pick a defined one with \`codexgw use <id>\`.`,
    },
  ];
}

function locate(raw: RawFinding[], source: ConfigSource): Finding[] {
  if (raw.length === 0) return [];
  const locator = new KeyLocator(source.text);
  return raw.map((f) => {
    const pos = f.path.length ? locator.find(f.path) : undefined;
    return {
      id: f.id,
      severity: f.severity,
      message: f.message,
      file: source.file,
      line: pos?.line ?? (f.path.length ? null : 1),
      column: pos?.column ?? (f.path.length ? null : 1),
      key: f.path.length ? f.path.join('.') : null,
      fix: f.fix,
    };
  });
}

function errorFinding(err: CodexgwError, file: string): Finding {
  return {
    id: err.line !== undefined && !err.message.includes('UTF-8') ? 'toml-syntax' : 'unreadable',
    severity: 'error',
    message: err.message,
    file,
    line: err.line ?? null,
    column: err.column ?? null,
    key: null,
    fix: err.hint ?? null,
  };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.id}\u0000${f.file}\u0000${f.line}\u0000${f.column}\u0000${f.key}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
