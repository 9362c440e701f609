import { parseVersion, type RulesInUse, SHIPPED } from '../../codex/rules.ts';
import { activeProvider, customProvider, validateFindings } from './active.ts';
import { type Check, type CheckStatus, type CodexDoctorCheck, check, type DoctorInput } from './types.ts';

const INSTALL = 'npm install -g @openai/codex@latest';

/**
 * The codex group: Codex is installed and recent enough for codexgw's rules, and what the real
 * `codex doctor --json` reports, folded in without repeating what codexgw's own checks say.
 */
export function codexChecks(input: DoctorInput): Check[] {
  const { codex } = input;
  if (!codex.path) {
    const why = 'Codex is not installed.';
    return [
      check('codex.installed', 'error', 'codex is not on PATH: nothing will use this configuration yet.', {
        fix: `Install it: \`${INSTALL}\` (or put the directory holding \`codex\` on PATH).`,
      }),
      check('codex.version', 'skipped', why),
      check('codex.doctor', 'skipped', why),
    ];
  }
  if (!codex.version?.ok) {
    const reason = codex.version ? codex.version.reason : 'it did not run';
    return [
      check(
        'codex.installed',
        'error',
        `${codex.path} is on PATH, but \`codex --version\` failed: ${reason}.`,
        {
          fix: `Reinstall it: \`${INSTALL}\`.`,
        },
      ),
      check('codex.version', 'skipped', 'The version is unknown.'),
      check('codex.doctor', 'skipped', '`codex --version` failed, so `codex doctor` was not run.'),
    ];
  }
  const text = codex.version.text.trim();
  return [
    check('codex.installed', 'ok', `${text} at ${codex.path}`),
    versionCheck(text, input.rules),
    ...doctorChecks(input),
  ];
}

export { parseVersion };

/** Whether codexgw's rules fit this Codex: shipped for its release, or the nearest, or none newer. */
function versionCheck(text: string, inUse: RulesInUse): Check {
  const v = parseVersion(text);
  const shipped = SHIPPED.map((r) => r.version).join(', ');
  if (!v) {
    return check('codex.version', 'warning', `Cannot read a version number in "${text}".`, {
      fix: `Reinstall Codex: \`${INSTALL}\`.`,
    });
  }
  const version = v.join('.');
  const rules = inUse.rules.version;
  const flag = inUse.source === 'flag' ? ` (--codex-version ${inUse.codexVersion} asks for them)` : '';
  if (inUse.source === 'flag' && inUse.codexVersion !== version) {
    return check(
      'codex.version',
      'warning',
      `Codex ${version} is installed, but the checks apply Codex ${rules}'s rules${flag}: they may not match what this Codex does.`,
      { fix: `Drop --codex-version to follow the installed Codex, or install that release.` },
    );
  }
  switch (inUse.match) {
    case 'newer-codex':
      return check(
        'codex.version',
        'warning',
        `Codex ${version} is newer than every release codexgw has rules for (${shipped}): the checks follow Codex ${rules}'s, so keys or features new in ${version} show as unknown (never as errors).`,
        { fix: 'Upgrade codexgw for rules calibrated on this release.' },
      );
    case 'older-codex':
      return check(
        'codex.version',
        'warning',
        `Codex ${version} is older than every release codexgw has rules for (${shipped}): the checks follow Codex ${rules}'s, and older releases treat profiles, wire_api and project files differently.`,
        { fix: `Upgrade: \`${INSTALL}\`.` },
      );
    case 'older-rules':
      return check(
        'codex.version',
        'ok',
        `Codex ${version} (no rules for this release: the checks follow Codex ${rules}'s, the nearest older)`,
      );
    default:
      return check('codex.version', 'ok', `Codex ${version} (the checks follow Codex ${rules}'s rules)`);
  }
}

const STATUS: Record<string, CheckStatus | undefined> = {
  fail: 'error',
  error: 'error',
  warning: 'warning',
  warn: 'warning',
};

function doctorChecks(input: DoctorInput): Check[] {
  const d = input.codex.doctor;
  if (d.state === 'skipped') return [check('codex.doctor', 'skipped', d.reason)];
  if (d.state === 'failed') {
    return [
      check('codex.doctor', 'warning', `\`codex doctor --json\` gave no report: ${d.reason}.`, {
        fix: 'Run `codex doctor` yourself to see what it says.',
      }),
    ];
  }
  const folded: Check[] = [];
  for (const c of d.checks) {
    const status = STATUS[c.status];
    if (!status || coveredByCodexgw(c, status, input)) continue;
    folded.push(
      check(`codex.doctor.${c.id}`, status, `codex doctor: ${c.summary}${detailText(c)}`, {
        fix: c.remediation ?? 'Run `codex doctor` for the details.',
      }),
    );
  }
  const out = folded.length
    ? folded
    : [
        check(
          'codex.doctor',
          'ok',
          `codex doctor: ${d.checks.length} checks, nothing beyond what codexgw reports here`,
        ),
      ];
  const effective = effectiveCheck(input, d.checks);
  return effective ? [...out, effective] : out;
}

/** codex doctor's checks that repeat one of codexgw's own (which say more, with a fix). */
function coveredByCodexgw(c: CodexDoctorCheck, status: CheckStatus, input: DoctorInput): boolean {
  const loaded = input.config.loaded;
  switch (c.id) {
    // env.key-set says it with the rc block in view.
    case 'auth.credentials': {
      const custom = loaded ? customProvider(activeProvider(loaded)) : undefined;
      return typeof custom?.table.env_key === 'string';
    }
    // online.models probes the same endpoint with the key, and names the failure.
    case 'network.provider_reachability':
      return true;
    // Unknown keys and load errors are the config checks; keep a load failure codexgw did not see.
    case 'config.load':
      return (
        status !== 'error' ||
        (loaded !== undefined && validateFindings(loaded, input.rules).some((f) => f.severity === 'error'))
      );
    default:
      return false;
  }
}

/** The details that say what went wrong (codex doctor's summary alone can sound fine). */
function detailText(c: CodexDoctorCheck): string {
  const telling = Object.entries(c.details)
    .filter(
      ([k, v]) => k === 'error' || /error|fail|missing|not found|timed? ?out|unreachable|denied/i.test(v),
    )
    .slice(0, 2)
    .map(([k, v]) => (k === 'error' ? v : `${k}: ${v}`));
  return telling.length ? ` (${telling.join('; ')})` : '';
}

/** Does Codex see the same model and provider as codexgw computed? A cross-check of the layering. */
function effectiveCheck(input: DoctorInput, checks: CodexDoctorCheck[]): Check | undefined {
  const loaded = input.config.loaded;
  const load = checks.find((c) => c.id === 'config.load');
  const theirProvider = load?.details['model provider'];
  if (!loaded || !load || theirProvider === undefined) return undefined;
  const ours = activeProvider(loaded).id;
  const ourModel = typeof loaded.merged.model === 'string' ? loaded.merged.model : undefined;
  const theirModel = load.details.model;
  const diffs: string[] = [];
  if (theirProvider !== ours) diffs.push(`provider \`${theirProvider}\` (codexgw computed \`${ours}\`)`);
  if (ourModel !== undefined && theirModel !== undefined && theirModel !== ourModel) {
    diffs.push(`model "${theirModel}" (codexgw computed "${ourModel}")`);
  }
  if (diffs.length === 0) {
    return check(
      'codex.effective',
      'ok',
      `Codex sees the same provider (\`${ours}\`)${ourModel ? ` and model ("${ourModel}")` : ''} as codexgw`,
    );
  }
  return check('codex.effective', 'warning', `Codex itself uses ${diffs.join(' and ')}.`, {
    fix: 'Compare with `codexgw config show --origin`; if Codex is right, please report this to codexgw.',
  });
}
