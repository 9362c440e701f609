import { describe, expect, it } from 'vitest';
import { type AuthFacts, authChecks } from '../../src/checks/doctor/auth.ts';
import type { DoctorInput } from '../../src/checks/doctor/types.ts';

function facts(patch: Partial<AuthFacts> = {}): AuthFacts {
  return {
    providerId: 'gw',
    command: '/usr/bin/security',
    args: ['find-generic-password', '-s', 'codexgw', '-a', 'gw', '-w'],
    timeoutMs: 5000,
    absolute: true,
    executable: true,
    run: { exitCode: 0, timedOut: false, stderr: '', spawnError: undefined, ms: 12 },
    token: 'sk-doctor-unit-0123456789',
    maskedToken: 'sk-…6789',
    item: { state: 'present' },
    storeLabel: 'the macOS Keychain',
    storeKind: 'macos-keychain',
    ...patch,
  };
}

const checks = (a: AuthFacts) => authChecks({ auth: a } as DoctorInput);
const byId = (a: AuthFacts, id: string) => checks(a).find((c) => c.id === id)!;

describe('doctor auth checks', () => {
  it('are ok when the command runs and prints a token, masked', () => {
    const all = checks(facts());
    expect(all.map((c) => [c.id, c.status])).toEqual([
      ['env.auth-command', 'ok'],
      ['env.auth-item', 'ok'],
      ['env.auth-token', 'ok'],
    ]);
    expect(all.map((c) => c.message).join(' ')).not.toContain('sk-doctor-unit-0123456789');
    expect(byId(facts(), 'env.auth-token').message).toContain('sk-…6789');
  });

  it('blame a macOS access prompt for a command that hangs until its timeout', () => {
    const c = byId(
      facts({
        run: { exitCode: undefined, timedOut: true, stderr: '', spawnError: undefined, ms: 5000 },
        token: '',
      }),
      'env.auth-token',
    );
    expect(c.status).toBe('error');
    expect(c.message).toContain('within 5000 ms');
    expect(c.fix).toContain('Always Allow');
  });

  it('name "User interaction is not allowed" as macOS refusing access', () => {
    const c = byId(
      facts({
        run: {
          exitCode: 36,
          timedOut: false,
          stderr: 'security: User interaction is not allowed.',
          spawnError: undefined,
          ms: 30,
        },
        token: '',
      }),
      'env.auth-token',
    );
    expect(c.status).toBe('error');
    expect(c.fix).toContain('Always Allow');
  });

  it('flag an empty token and a missing executable', () => {
    expect(byId(facts({ token: '' }), 'env.auth-token')).toMatchObject({
      status: 'error',
      fix: 'Store the key again: codexgw key set gw',
    });
    expect(byId(facts({ executable: false, storeKind: 'secret-service' }), 'env.auth-command')).toMatchObject(
      {
        status: 'error',
        fix: expect.stringContaining('libsecret-tools'),
      },
    );
  });

  it('skip the item check for a command codexgw did not write', () => {
    expect(byId(facts({ item: { state: 'unknown' }, storeKind: undefined }), 'env.auth-item').status).toBe(
      'skipped',
    );
  });
});

describe('doctor auth checks on the file store', () => {
  const fileFacts = (mode: number) =>
    facts({
      storeKind: 'file',
      storeLabel: 'the key file /h/.codex/codexgw-keys.json (mode 0600)',
      keyFile: { file: '/h/.codex/codexgw-keys.json', mode },
    });

  it('are ok for a 0600 key file', () => {
    expect(byId(fileFacts(0o600), 'env.auth-item').status).toBe('ok');
  });

  it('warn when others can read the key file, with the chmod', () => {
    expect(byId(fileFacts(0o644), 'env.auth-item')).toMatchObject({
      status: 'warning',
      message: expect.stringContaining('mode 644'),
      fix: 'chmod 600 /h/.codex/codexgw-keys.json',
    });
  });
});
