import { isTable } from '../../config/overrides.ts';
import type { TomlTable } from '../../config/source.ts';
import { detectGateway, type GatewayId, isSecretHeaderName, PRESETS } from '../../gateways/index.ts';
import { maskSecret } from '../../io/redact.ts';
import { activateHint } from '../../shell/key.ts';
import { activeProvider, customProvider, where } from './active.ts';
import { type Check, check, type DoctorInput, type RcFacts, type RcVar } from './types.ts';

/** Codex treats a blank variable as missing ("Missing environment variable"). */
const isBlank = (v: string | undefined) => v === undefined || v.trim() === '';

/**
 * The env group: the provider's key variable in this environment and in codexgw's rc block (and
 * whether the two agree), the files holding keys, keys written into config files, and the
 * variables behind env_http_headers. Values are only ever shown masked.
 */
export function envChecks(input: DoctorInput): Check[] {
  const loaded = input.config.loaded;
  if (!loaded) return [check('env.key-set', 'skipped', 'The config could not be loaded (see above).')];
  const active = activeProvider(loaded);
  const custom = customProvider(active);
  const envKey = custom && typeof custom.table.env_key === 'string' ? custom.table.env_key : undefined;
  const out: Check[] = [];
  out.push(keySetCheck(input, custom?.table, custom?.id, envKey, active.gateway?.gateway));
  out.push(rcBlockCheck(input, envKey));
  out.push(...secretFileChecks(input.rc));
  out.push(secretInConfigCheck(input));
  out.push(headerVarsCheck(input, custom?.table, custom?.id));
  return out;
}

/** How to load the managed block into the open shell, in that shell's words. */
function activate(rc: RcFacts): string {
  return activateHint(rc.shell ?? 'bash');
}

function rcVar(rc: RcFacts, name: string): RcVar | undefined {
  return rc.vars.find((v) => v.name === name);
}

function keySetCheck(
  input: DoctorInput,
  table: TomlTable | undefined,
  id: string | undefined,
  envKey: string | undefined,
  gateway: GatewayId | undefined,
): Check {
  if (!table || id === undefined) return check('env.key-set', 'skipped', 'No custom provider is active.');
  if (isTable(table.auth)) {
    const cmd = typeof table.auth.command === 'string' ? table.auth.command : '?';
    return check(
      'env.key-set',
      'ok',
      `Provider \`${id}\` gets its key from a command (auth.command = ${cmd}).`,
    );
  }
  if (table.requires_openai_auth === true) {
    return check(
      'env.key-set',
      'skipped',
      `Provider \`${id}\` uses Codex's own login (requires_openai_auth).`,
    );
  }
  if (envKey === undefined) {
    if (typeof table.experimental_bearer_token === 'string') {
      return check('env.key-set', 'ok', `Provider \`${id}\` sends experimental_bearer_token as its key.`);
    }
    const preset = PRESETS[gateway ?? 'custom'];
    return check(
      'env.key-set',
      'warning',
      `Provider \`${id}\` has no env_key: Codex sends no Authorization header (fine only for a gateway without auth).`,
      {
        fix: `Add env_key = "${preset.envKey}" to [model_providers.${id}], then store the key with \`codexgw env set ${preset.envKey}\`.`,
      },
    );
  }
  const value = input.env[envKey];
  if (!isBlank(value))
    return check('env.key-set', 'ok', `${envKey} is set in this environment (${maskSecret(value!)})`);
  const inRc = rcVar(input.rc, envKey);
  return check(
    'env.key-set',
    'error',
    `${envKey} is ${value === undefined ? 'not set' : 'blank'} in this environment: Codex stops with "Missing environment variable: \`${envKey}\`" before sending any request.`,
    {
      fix: inRc
        ? `codexgw's block in ${inRc.file} exports it, but this shell started before. ${activate(input.rc)}`
        : `Run \`codexgw env set ${envKey}\` (it asks for the key and exports it from your shell's rc file), then open a new terminal.`,
    },
  );
}

function rcBlockCheck(input: DoctorInput, envKey: string | undefined): Check {
  const { rc } = input;
  if (envKey === undefined)
    return check('env.rc-block', 'skipped', 'The active provider reads no env_key variable.');
  if (rc.damaged) {
    return check('env.rc-block', 'error', rc.damaged.message, {
      file: rc.damaged.file,
      line: rc.damaged.line,
      fix: rc.damaged.hint,
    });
  }
  if (rc.file === undefined) {
    return check(
      'env.rc-block',
      'skipped',
      `Cannot tell which rc file to look in: ${rc.unknownReason ?? 'unknown shell'}.`,
    );
  }
  const v = rcVar(rc, envKey);
  const value = input.env[envKey];
  if (!v) {
    if (!isBlank(value)) {
      return check(
        'env.rc-block',
        'ok',
        `${envKey} comes from your own environment set-up (it is not in codexgw's block in ${rc.file}).`,
      );
    }
    return check('env.rc-block', 'warning', `${envKey} is not exported by codexgw's block in ${rc.file}.`, {
      fix: `Run \`codexgw env set ${envKey}\`.`,
    });
  }
  const at = { file: v.file, line: v.line };
  if (isBlank(value)) {
    return check(
      'env.rc-block',
      'warning',
      `${envKey} is exported at ${where(at)} (${maskSecret(v.value)}), but this shell does not have it yet.`,
      { ...at, fix: activate(rc) },
    );
  }
  const later = rc.overridden.find((o) => o.name === envKey && o.same !== true);
  if (later) {
    return check(
      'env.rc-block',
      'warning',
      `${envKey} is exported at ${where(at)}, but ${where(later)} sets it again later${later.same === undefined ? ' (to a value the shell computes)' : ' to another value'}, and that one wins.`,
      {
        file: later.file,
        line: later.line,
        fix: `Delete the line at ${where(later)} (codexgw manages ${envKey}), or move it above the "# >>> codexgw >>>" line.`,
      },
    );
  }
  if (value !== v.value) {
    return check(
      'env.rc-block',
      'warning',
      `${envKey} in this shell (${maskSecret(value!)}) differs from the one exported at ${where(at)} (${maskSecret(v.value)}): new terminals get the rc value.`,
      {
        ...at,
        fix: `To keep this shell's key instead, run \`codexgw env set ${envKey}\`; otherwise: ${activate(rc)}.`,
      },
    );
  }
  return check(
    'env.rc-block',
    'ok',
    `${envKey} is exported at ${where(at)}, the same value as in this shell`,
    at,
  );
}

function secretFileChecks(rc: RcFacts): Check[] {
  if (rc.secretFiles.length === 0) {
    return [
      check('env.rc-permissions', 'skipped', 'No rc file of codexgw holds a key.'),
      check('env.rc-git', 'skipped', 'No rc file of codexgw holds a key.'),
    ];
  }
  const out: Check[] = [];
  for (const f of rc.secretFiles) {
    if (f.mode === undefined) {
      out.push(
        check('env.rc-permissions', 'skipped', `Permissions of ${f.file} are not checked on this system.`),
      );
    } else if ((f.mode & 0o044) !== 0) {
      out.push(
        check(
          'env.rc-permissions',
          'warning',
          `${f.file} holds an API key and is readable by ${(f.mode & 0o004) !== 0 ? 'every user on this machine' : 'its group'} (mode ${f.mode.toString(8).padStart(4, '0')}).`,
          {
            file: f.file,
            fix: `Run \`chmod 600 '${f.file}'\`, or keep the key in a 0600 file: \`codexgw env set <VAR> --secrets-file\`.`,
          },
        ),
      );
    } else {
      out.push(
        check(
          'env.rc-permissions',
          'ok',
          `${f.file} (mode ${f.mode.toString(8).padStart(4, '0')}) is readable only by you`,
          {
            file: f.file,
          },
        ),
      );
    }
  }
  for (const f of rc.secretFiles) {
    out.push(
      f.tracked
        ? check(
            'env.rc-git',
            'warning',
            `${f.file} holds an API key and is tracked by git (a dotfiles repository?): a push publishes the key.`,
            {
              file: f.file,
              fix: 'Keep the key out of the tracked file: `codexgw env set <VAR> --secrets-file` stores it in $CODEX_HOME (mode 0600) and the rc file only sources it. Check the repository history for the key too.',
            },
          )
        : check('env.rc-git', 'ok', `${f.file} is not tracked by git`, { file: f.file }),
    );
  }
  return out;
}

/** Keys written into config files: a literal bearer token, or a credential in a static header. */
function secretInConfigCheck(input: DoctorInput): Check {
  const loaded = input.config.loaded!;
  const providers = isTable(loaded.merged.model_providers) ? loaded.merged.model_providers : {};
  const found: Check[] = [];
  for (const [id, table] of Object.entries(providers)) {
    if (!isTable(table)) continue;
    if (typeof table.experimental_bearer_token === 'string') {
      const envVar = PRESETS[detectGateway(table)?.gateway ?? 'custom'].envKey;
      const o = loaded.originOf(['model_providers', id, 'experimental_bearer_token']);
      found.push(
        check(
          'env.secret-in-config',
          'warning',
          `[model_providers.${id}] holds its API key in experimental_bearer_token, in plain text in ${where(o)}.`,
          {
            file: o?.file,
            line: o?.line,
            fix: `Move the key to an environment variable: run \`codexgw env set ${envVar}\`, then replace experimental_bearer_token with env_key = "${envVar}".`,
          },
        ),
      );
    }
    const headers = isTable(table.http_headers) ? table.http_headers : {};
    for (const name of Object.keys(headers)) {
      if (!isSecretHeaderName(name)) continue;
      const o = loaded.originOf(['model_providers', id, 'http_headers', name]);
      found.push(
        check(
          'env.secret-in-config',
          'warning',
          `[model_providers.${id}] sends the credential header "${name}" from http_headers, in plain text in ${where(o)}.`,
          {
            file: o?.file,
            line: o?.line,
            fix: `Send it from a variable instead: move it to env_http_headers = { "${name}" = "<VAR>" } and run \`codexgw env set <VAR>\`.`,
          },
        ),
      );
    }
  }
  if (found.length === 0) {
    return check('env.secret-in-config', 'ok', 'No API key is written into a config file.');
  }
  // One problem per line would repeat the same advice; the first carries the location, all are listed.
  return found.length === 1 ? found[0]! : { ...found[0]!, message: found.map((c) => c.message).join(' ') };
}

function headerVarsCheck(input: DoctorInput, table: TomlTable | undefined, id: string | undefined): Check {
  const headers = table && isTable(table.env_http_headers) ? table.env_http_headers : undefined;
  if (!headers || Object.keys(headers).length === 0 || id === undefined) {
    return check('env.header-vars', 'skipped', 'The active provider has no env_http_headers.');
  }
  const missing = Object.entries(headers).filter(
    ([, v]) => typeof v === 'string' && isBlank(input.env[v]),
  ) as [string, string][];
  if (missing.length === 0) {
    return check(
      'env.header-vars',
      'ok',
      `Every env_http_headers variable is set (${Object.values(headers).join(', ')})`,
    );
  }
  const list = missing.map(([h, v]) => `"${h}" (${v})`).join(', ');
  return check(
    'env.header-vars',
    'warning',
    `Codex leaves out header${missing.length > 1 ? 's' : ''} ${list} of [model_providers.${id}]: the variable${missing.length > 1 ? 's are' : ' is'} not set here.`,
    {
      fix:
        missing.map(([, v]) => `\`codexgw env set ${v}\``).join(', then ') +
        ' (or drop the header if you do not need it).',
    },
  );
}
