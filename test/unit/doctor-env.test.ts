import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { envChecks } from '../../src/checks/doctor/env.ts';
import { doctorInput, type InputOverrides, one, PORTKEY } from '../helpers/doctor.ts';
import { makeWorld } from '../helpers/setup-home.ts';

const KEY = 'pk-live-0123456789abcdef';
const OTHER = 'pk-live-fedcba9876543210';

function run(config: string, o: InputOverrides = {}) {
  const w = makeWorld();
  const file = w.write(path.join(w.codexHome, 'config.toml'), config);
  const rcFile = path.join(w.home, '.bashrc');
  return { checks: envChecks(doctorInput(w, { ...o, rc: { file: rcFile, ...o.rc } })), file, rcFile, w };
}

const rcVar = (file: string, value = KEY) => ({ name: 'PORTKEY_API_KEY', value, file, line: 3 });

describe('env.key-set', () => {
  it('is ok when the variable is set, showing it masked only', () => {
    const c = one(run(PORTKEY, { env: { PORTKEY_API_KEY: KEY } }).checks, 'env.key-set');
    expect(c.status).toBe('ok');
    expect(c.message).toContain('pk…cdef');
    expect(JSON.stringify(c)).not.toContain(KEY);
  });

  it('is an error when it is unset, with the env set command', () => {
    const c = one(run(PORTKEY).checks, 'env.key-set');
    expect(c.status).toBe('error');
    expect(c.message).toContain('Missing environment variable: `PORTKEY_API_KEY`');
    expect(c.fix).toContain('codexgw env set PORTKEY_API_KEY');
  });

  it('is an error when blank; when the rc block has it, the fix is to load it', () => {
    const w = run(PORTKEY, { env: { PORTKEY_API_KEY: '  ' }, rc: { vars: [rcVar('/h/.bashrc')] } });
    const c = one(w.checks, 'env.key-set');
    expect(c.status).toBe('error');
    expect(c.message).toContain('is blank');
    expect(c.fix).toContain('eval "$(codexgw env print)"');
  });

  it('warns when the provider has no env_key (no Authorization header is sent)', () => {
    const c = one(run(PORTKEY.replace('env_key = "PORTKEY_API_KEY"\n', '')).checks, 'env.key-set');
    expect(c.status).toBe('warning');
    expect(c.fix).toContain('env_key = "PORTKEY_API_KEY"');
  });

  it('is ok for a command-backed key or a bearer token, skipped for Codex login and built-ins', () => {
    const auth = PORTKEY.replace('env_key = "PORTKEY_API_KEY"\n', '').concat(
      'auth = { command = "pass", args = ["pk"] }\n',
    );
    expect(one(run(auth).checks, 'env.key-set')).toMatchObject({ status: 'ok' });
    const bearer = PORTKEY.replace(
      'env_key = "PORTKEY_API_KEY"',
      'experimental_bearer_token = "tok-0123456789"',
    );
    expect(one(run(bearer).checks, 'env.key-set')).toMatchObject({ status: 'ok' });
    const login = PORTKEY.replace('env_key = "PORTKEY_API_KEY"', 'requires_openai_auth = true');
    expect(one(run(login).checks, 'env.key-set').status).toBe('skipped');
    expect(one(run('model = "o3"\n').checks, 'env.key-set').status).toBe('skipped');
  });
});

describe('env.rc-block', () => {
  it('is ok when the block exports the same value this shell has', () => {
    const { checks, rcFile } = run(PORTKEY, {
      env: { PORTKEY_API_KEY: KEY },
      rc: { vars: [rcVar(path.join('/h', '.bashrc'))] },
    });
    const c = one(checks, 'env.rc-block');
    expect(c).toMatchObject({ status: 'ok', file: '/h/.bashrc', line: 3 });
    expect(rcFile).toContain('.bashrc');
  });

  it('warns when the two values differ, masking both', () => {
    const c = one(
      run(PORTKEY, { env: { PORTKEY_API_KEY: OTHER }, rc: { vars: [rcVar('/h/.bashrc')] } }).checks,
      'env.rc-block',
    );
    expect(c.status).toBe('warning');
    expect(c.message).toContain('pk…3210');
    expect(c.message).toContain('pk…cdef');
    expect(JSON.stringify(c)).not.toContain(KEY);
    expect(JSON.stringify(c)).not.toContain(OTHER);
  });

  it('warns when the block has it but this shell does not yet', () => {
    const c = one(run(PORTKEY, { rc: { vars: [rcVar('/h/.bashrc')] } }).checks, 'env.rc-block');
    expect(c.status).toBe('warning');
    expect(c.fix).toContain('Open a new terminal');
  });

  it('warns when a later line in the rc file assigns it again', () => {
    const c = one(
      run(PORTKEY, {
        env: { PORTKEY_API_KEY: KEY },
        rc: {
          vars: [rcVar('/h/.bashrc')],
          overridden: [{ name: 'PORTKEY_API_KEY', file: '/h/.bashrc', line: 9, same: false }],
        },
      }).checks,
      'env.rc-block',
    );
    expect(c).toMatchObject({ status: 'warning', file: '/h/.bashrc', line: 9 });
  });

  it('is ok when the key comes from elsewhere, warns when it is nowhere', () => {
    expect(one(run(PORTKEY, { env: { PORTKEY_API_KEY: KEY } }).checks, 'env.rc-block').status).toBe('ok');
    const c = one(run(PORTKEY).checks, 'env.rc-block');
    expect(c.status).toBe('warning');
    expect(c.fix).toBe('Run `codexgw env set PORTKEY_API_KEY`.');
  });

  it('is an error when the block was edited by hand', () => {
    const c = one(
      run(PORTKEY, {
        rc: {
          damaged: {
            message: 'The codexgw block … edited by hand',
            file: '/h/.bashrc',
            line: 4,
            hint: 'Fix it.',
          },
        },
      }).checks,
      'env.rc-block',
    );
    expect(c).toMatchObject({ status: 'error', file: '/h/.bashrc', line: 4, fix: 'Fix it.' });
  });

  it('is skipped when the shell cannot be told, or no key variable is read', () => {
    expect(
      one(
        run(PORTKEY, { rc: { file: undefined, unknownReason: '$SHELL is not set' } }).checks,
        'env.rc-block',
      ),
    ).toMatchObject({ status: 'skipped' });
    expect(one(run('model = "o3"\n').checks, 'env.rc-block').status).toBe('skipped');
  });
});

describe('env.rc-permissions and env.rc-git', () => {
  it('are ok for a 0600 file not tracked by git', () => {
    const { checks } = run(PORTKEY, {
      rc: { secretFiles: [{ file: '/h/.bashrc', mode: 0o600, tracked: false }] },
    });
    expect(one(checks, 'env.rc-permissions')).toMatchObject({ status: 'ok', file: '/h/.bashrc' });
    expect(one(checks, 'env.rc-git')).toMatchObject({ status: 'ok' });
  });

  it('warn for a file others can read, and for one tracked by git', () => {
    const { checks } = run(PORTKEY, {
      rc: { secretFiles: [{ file: '/h/.bashrc', mode: 0o644, tracked: true }] },
    });
    const perm = one(checks, 'env.rc-permissions');
    expect(perm.status).toBe('warning');
    expect(perm.message).toContain('every user on this machine (mode 0644)');
    expect(perm.fix).toContain("chmod 600 '/h/.bashrc'");
    const git = one(checks, 'env.rc-git');
    expect(git.status).toBe('warning');
    expect(git.fix).toContain('--secrets-file');
  });

  it('are skipped when no file holds a key (or the system has no modes)', () => {
    const { checks } = run(PORTKEY);
    expect(one(checks, 'env.rc-permissions').status).toBe('skipped');
    expect(one(checks, 'env.rc-git').status).toBe('skipped');
    const win = run(PORTKEY, {
      rc: { secretFiles: [{ file: 'C:/p.ps1', mode: undefined, tracked: false }] },
    });
    expect(one(win.checks, 'env.rc-permissions').status).toBe('skipped');
  });
});

describe('env.secret-in-config', () => {
  it('is ok when no key is written into a config file', () => {
    expect(one(run(PORTKEY).checks, 'env.secret-in-config').status).toBe('ok');
  });

  it('warns about a literal bearer token or a credential header, never showing it', () => {
    const token = 'tok-0123456789abcdef';
    const { checks, file } = run(
      PORTKEY.replace('env_key = "PORTKEY_API_KEY"', `experimental_bearer_token = "${token}"`),
    );
    const c = one(checks, 'env.secret-in-config');
    expect(c).toMatchObject({ status: 'warning', file, line: 7 });
    expect(c.fix).toContain('codexgw env set PORTKEY_API_KEY');
    expect(JSON.stringify(c)).not.toContain(token);
    const header = run(
      PORTKEY.replace('"x-portkey-provider" = "@openai-prod"', `"x-portkey-api-key" = "${token}"`),
    );
    const h = one(header.checks, 'env.secret-in-config');
    expect(h.message).toContain('"x-portkey-api-key"');
    expect(h.fix).toContain('env_http_headers');
    expect(JSON.stringify(h)).not.toContain(token);
  });
});

describe('env.header-vars', () => {
  const withEnvHeader = `${PORTKEY}env_http_headers = { "x-portkey-config" = "PORTKEY_CONFIG" }\n`;

  it('is ok when every env header variable is set', () => {
    expect(
      one(run(withEnvHeader, { env: { PORTKEY_CONFIG: 'pc-abc' } }).checks, 'env.header-vars').status,
    ).toBe('ok');
  });

  it('warns that Codex silently leaves the header out when its variable is unset', () => {
    const c = one(run(withEnvHeader).checks, 'env.header-vars');
    expect(c.status).toBe('warning');
    expect(c.message).toContain('"x-portkey-config" (PORTKEY_CONFIG)');
    expect(c.fix).toContain('codexgw env set PORTKEY_CONFIG');
  });

  it('is skipped without env_http_headers', () => {
    expect(one(run(PORTKEY).checks, 'env.header-vars').status).toBe('skipped');
  });
});
