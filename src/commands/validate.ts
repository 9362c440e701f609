import path from 'node:path';
import { type Finding, sortFindings, summarize } from '../checks/finding.ts';
import { checkConfigFile, checkLoadedConfig, readFileToCheck } from '../checks/validate.ts';
import { describeRulesInUse, rulesInUse } from '../codex/detect.ts';
import type { RulesInUse } from '../codex/rules.ts';
import { defineSpec, type OptionsOf, OVERRIDES, PROFILE } from '../command-spec.ts';
import { loadConfig } from '../config/layers.ts';
import { listProfileFiles } from '../config/paths.ts';
import { type Context, println } from '../context.ts';
import { EXIT } from '../errors.ts';
import { escapeGithubData, escapeGithubProperty } from '../io/github.ts';
import { oneLineSafe } from '../io/redact.ts';

export const spec = defineSpec({
  summary: 'check Codex config files the way Codex loads them (the CI step: no prompts, no network)',
  args: [{ name: 'files', variadic: true }],
  options: {
    format: {
      kind: 'value',
      value: 'format',
      description: 'output format',
      choices: ['text', 'json', 'github'],
      default: 'text',
    },
    json: { kind: 'flag', description: 'the same as --format json' },
    strict: { kind: 'flag', description: 'fail on warnings too (what codex --strict-config refuses)' },
    profile: { ...PROFILE, description: 'also check $CODEX_HOME/<name>.config.toml' },
    config: OVERRIDES,
    codexVersion: {
      kind: 'value',
      value: 'version',
      description: "apply this Codex release's rules (default: the codex on PATH)",
    },
  },
  examples: ['codexgw validate', 'codexgw validate --strict --format github .codex/config.toml'],
  help: 'Exit codes: 0 no errors, 1 errors (or warnings with --strict), 2 usage error.',
});

export interface ValidateResult {
  files: string[];
  findings: Finding[];
}

/**
 * Findings `--strict` does not fail on: `codex --strict-config` strips keys a project file may not
 * set without refusing the file, so codexgw warns about them but --strict stays Codex's verdict.
 */
const NOT_STRICT = new Set(['project-ignored-key']);

export function failsStrict(f: Finding): boolean {
  return f.severity === 'warning' && !NOT_STRICT.has(f.id);
}

/** The CI step: no prompts, no network, no home needed. */
export async function run(options: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const files = (options.files ?? []).map((f) => path.resolve(ctx.cwd, f));
  const inUse = rulesInUse(options.codexVersion, ctx.env);
  const result = files.length
    ? validateFiles(files, inUse)
    : validateSetup(ctx, options.profile, options.config, inUse);
  const summary = summarize(result.findings);
  if (options.format === 'json' || options.json) {
    const rules = {
      version: inUse.rules.version,
      codexVersion: inUse.codexVersion ?? null,
      source: inUse.source,
      match: inUse.match,
    };
    println(ctx.stdout, JSON.stringify({ findings: result.findings, summary, rules }, null, 2));
  } else if (options.format === 'github') {
    for (const f of result.findings) println(ctx.stdout, githubAnnotation(f));
    if (inUse.match === 'newer-codex')
      println(ctx.stdout, `::warning title=codexgw rules::${newerNote(inUse)}`);
  } else {
    printText(result, ctx, inUse);
  }
  const failed = summary.errors > 0 || (options.strict === true && result.findings.some(failsStrict));
  return failed ? EXIT.failure : EXIT.ok;
}

/** Validate the given files alone: a file under a `.codex/` folder as a project file, others as user files. */
export function validateFiles(files: string[], inUse?: RulesInUse): ValidateResult {
  const findings: Finding[] = [];
  for (const file of files) {
    const kind = path.basename(path.dirname(file)) === '.codex' ? 'project' : 'user';
    findings.push(...checkConfigFile(readFileToCheck(kind, file), inUse));
  }
  return { files, findings: sortFindings(findings) };
}

/** Validate what Codex would load here: user config, every profile file, project layers, overrides. */
export function validateSetup(
  ctx: Context,
  profile?: string,
  overrides?: string[],
  inUse?: RulesInUse,
): ValidateResult {
  const loaded = loadConfig({ cwd: ctx.cwd, env: ctx.env, profile, overrides, onError: 'collect' });
  const findings = checkLoadedConfig(loaded, inUse);
  const files = loaded.layers.filter((l) => l.file && (l.source?.exists || l.error)).map((l) => l.file!);
  // Profile files not selected with --profile are still checked, each on its own.
  for (const file of listProfileFiles(loaded.home.dir)) {
    if (files.includes(file)) continue;
    files.push(file);
    findings.push(...checkConfigFile(readFileToCheck('profile', file), inUse));
  }
  return { files, findings: sortFindings(findings) };
}

/** Said when Codex is newer than every shipped rule set (a note: it fails nothing). */
function newerNote(inUse: RulesInUse): string {
  return `Codex ${inUse.codexVersion} is newer than every release codexgw has rules for: these checks follow Codex ${inUse.rules.version}'s, so keys new in ${inUse.codexVersion} show as unknown (info, never a failure).`;
}

function printText(result: ValidateResult, ctx: Context, inUse: RulesInUse): void {
  const c = ctx.color;
  const summary = summarize(result.findings);
  // Which release's rules apply, when it is not simply the Codex found here (JSON always says).
  if (inUse.match === 'newer-codex') println(ctx.stdout, `${c.warn('!')} ${newerNote(inUse)}`);
  else if (inUse.source === 'flag' || inUse.match !== 'exact') {
    println(ctx.stdout, c.dim(`Rules: ${describeRulesInUse(inUse)}`));
  }
  if (result.files.length === 0) {
    println(
      ctx.stdout,
      c.dim('No Codex config files found here (user config, profile files, project .codex/config.toml).'),
    );
  }
  let current: string | null | undefined;
  for (const f of result.findings) {
    if (f.file !== current) {
      current = f.file;
      println(ctx.stdout, c.bold(f.file === null ? '-c overrides' : oneLineSafe(f.file)));
    }
    const where = f.line === null ? '' : `${f.line}:${f.column ?? 1}`;
    const sev =
      f.severity === 'error'
        ? c.danger('error  ')
        : f.severity === 'warning'
          ? c.warn('warning')
          : c.info('info   ');
    // A finding quotes keys and values from the file: one line each, whatever they hold.
    println(ctx.stdout, `  ${where.padEnd(7)} ${sev}  ${oneLineSafe(f.message)}  ${c.dim(f.id)}`);
    if (f.fix) println(ctx.stdout, `  ${' '.repeat(7)} ${c.dim('fix:')} ${oneLineSafe(f.fix)}`);
  }
  const checked = `${result.files.length} file${result.files.length === 1 ? '' : 's'} checked`;
  const counts = `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${plural(summary.infos, 'info')}`;
  const mark = summary.errors ? c.danger('✗') : summary.warnings ? c.warn('!') : c.ok('✓');
  println(ctx.stdout, `${mark} ${counts} (${checked})`);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A GitHub Actions workflow command; data and properties escaped as the runner expects. */
export function githubAnnotation(f: Finding): string {
  const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
  const props: string[] = [];
  if (f.file) props.push(`file=${escapeGithubProperty(f.file)}`);
  if (f.line !== null) props.push(`line=${f.line}`);
  if (f.column !== null) props.push(`col=${f.column}`);
  props.push(`title=${escapeGithubProperty(`codexgw ${f.id}`)}`);
  const text = f.fix ? `${f.message}\nFix: ${f.fix}` : f.message;
  return `::${level} ${props.join(',')}::${escapeGithubData(text)}`;
}
