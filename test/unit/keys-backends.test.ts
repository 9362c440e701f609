import { describe, expect, it } from 'vitest';
import { TomlDocument } from '../../src/config/document.ts';
import { accountFor, keyProblem } from '../../src/keys/keychain.ts';
import { securityAdd, securityDelete, securityFailure, securityFind } from '../../src/keys/macos.ts';
import { setProviderAuth } from '../../src/keys/provider-auth.ts';
import { secretToolFailure, secretToolLookup, secretToolStore } from '../../src/keys/secret-service.ts';
import { classifyAuth } from '../../src/keys/store.ts';
import { credentialProcess, powershellPath } from '../../src/keys/windows.ts';

const SECRET = 'sk-"odd" $(rm -rf) \\ key-1234';
const noOutput = { stdout: '', timedOut: false, spawnError: undefined };

describe('macOS Keychain commands', () => {
  it('adds through `security -i` with the secret as hex on stdin, never in argv', () => {
    const p = securityAdd('gw@/tmp/h "x"', 'gw', SECRET);
    expect(p.file).toBe('/usr/bin/security');
    expect(p.args).toEqual(['-i']);
    expect(p.args.join(' ')).not.toContain('sk-');
    const hex = Buffer.from(SECRET, 'utf8').toString('hex');
    expect(p.input).toBe(
      `add-generic-password -U -s "codexgw" -a "gw@/tmp/h \\"x\\"" -l "codexgw: gw key" -X ${hex}\n`,
    );
    expect(p.input).not.toContain(SECRET);
  });

  it('reads and deletes by service and account; the read prints only the password', () => {
    expect(securityFind('gw')).toEqual({
      file: '/usr/bin/security',
      args: ['find-generic-password', '-s', 'codexgw', '-a', 'gw', '-w'],
    });
    expect(securityDelete('gw').args).toEqual(['delete-generic-password', '-s', 'codexgw', '-a', 'gw']);
  });

  it('tells an access prompt nobody answered from other failures', () => {
    const prompt = securityFailure({ ...noOutput, exitCode: 36, stderr: 'User interaction is not allowed.' });
    expect(prompt.reason).toBe('access-prompt');
    expect(prompt.hint).toContain('Always Allow');
    expect(securityFailure({ ...noOutput, exitCode: 1, timedOut: true, stderr: '' }).reason).toBe(
      'access-prompt',
    );
    expect(securityFailure({ ...noOutput, exitCode: 45, stderr: 'boom' }).reason).toBe('failed');
  });
});

describe('Windows Credential Manager commands', () => {
  const env = { SystemRoot: 'D:\\Win' };
  const script = (args: string[]) => Buffer.from(args.at(-1)!, 'base64').toString('utf16le');

  it('runs Windows PowerShell by absolute path, the script encoded in argv and the secret on stdin', () => {
    const p = credentialProcess(env, 'set', 'gw', 'gw', SECRET);
    expect(p.file).toBe(powershellPath(env));
    expect(p.file).toBe('D:\\Win\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(p.args.slice(0, -1)).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
    ]);
    expect(p.input).toBe(SECRET);
    const text = script(p.args);
    expect(text).toContain("'codexgw:gw'");
    expect(text).toContain('CredWriteW');
    expect(text).toContain('[Console]::In.ReadToEnd()');
    expect(text).not.toContain('sk-');
  });

  it('reads with CredRead (base64 out) and deletes with CredDelete, with no stdin', () => {
    const get = credentialProcess(env, 'get', "o'brien", 'gw');
    expect(get.input).toBeUndefined();
    expect(script(get.args)).toContain("CredReadW('codexgw:o''brien', 1, 0");
    expect(script(get.args)).toContain('ToBase64String');
    expect(script(credentialProcess(env, 'delete', 'gw', 'gw').args)).toContain("CredDeleteW('codexgw:gw'");
  });
});

describe('Secret Service commands', () => {
  it('stores with the secret on stdin and looks up by service and account', () => {
    const store = secretToolStore('/usr/bin/secret-tool', 'gw', 'gw', SECRET);
    expect(store.args).toEqual(['store', '--label=codexgw: gw key', 'service', 'codexgw', 'account', 'gw']);
    expect(store.input).toBe(SECRET);
    expect(secretToolLookup('/usr/bin/secret-tool', 'gw').args).toEqual([
      'lookup',
      'service',
      'codexgw',
      'account',
      'gw',
    ]);
  });

  it('classifies secret-tool failures', () => {
    expect(
      secretToolFailure(
        { ...noOutput, exitCode: 1, stderr: 'secret-tool: Cannot get secret of a locked object' },
        't',
      ).reason,
    ).toBe('locked');
    expect(
      secretToolFailure(
        { ...noOutput, exitCode: 1, stderr: 'secret-tool: Cannot autolaunch D-Bus without X11 $DISPLAY' },
        't',
      ).reason,
    ).toBe('no-session-bus');
    expect(
      secretToolFailure({ ...noOutput, exitCode: undefined, stderr: '', spawnError: 'ENOENT' }, 't').reason,
    ).toBe('not-installed');
  });
});

describe('accounts, keys and auth tables', () => {
  it('adds the CODEX_HOME to the account only when it is not the default', () => {
    expect(accountFor('gw', { dir: '/h/.codex', fromEnv: false }, '/h/.codex')).toBe('gw');
    expect(accountFor('gw', { dir: '/h/.codex', fromEnv: true }, '/h/.codex')).toBe('gw');
    expect(accountFor('gw', { dir: '/w/home', fromEnv: true }, '/h/.codex')).toBe('gw@/w/home');
  });

  it('refuses keys Codex would not send as they are', () => {
    expect(keyProblem('sk-abc')).toBeUndefined();
    expect(keyProblem('  ')).toBe('it is empty');
    expect(keyProblem('a\nb')).toBe('it has more than one line');
    expect(keyProblem(' sk')).toMatch(/spaces/);
  });

  it('recognises the commands codexgw writes', () => {
    expect(
      classifyAuth({
        command: '/usr/bin/secret-tool',
        args: ['lookup', 'service', 'codexgw', 'account', 'gw'],
      }),
    ).toEqual({ kind: 'secret-service', account: 'gw' });
    expect(classifyAuth({ command: '/usr/bin/security', args: securityFind('a@b').args })).toEqual({
      kind: 'macos-keychain',
      account: 'a@b',
    });
    expect(
      classifyAuth({ command: '/usr/bin/node', args: ['/x/bin/codexgw.cjs', 'key', 'print', 'gw'] }),
    ).toEqual({ kind: 'codexgw', providerId: 'gw' });
    expect(classifyAuth({ command: 'sh', args: ['-c', 'echo $K'] })).toEqual({ kind: 'other' });
  });

  it('replaces env_key and the fields Codex refuses with auth, keeping comments and other fields', () => {
    const doc = TomlDocument.parse(
      '[model_providers.gw]\n# the gateway\nname = "G"\nbase_url = "http://x/v1"\nenv_key = "K"\nrequires_openai_auth = false\nexperimental_bearer_token = "t"\nhttp_headers = { a = "b" }\n',
    );
    const replaced = setProviderAuth(doc, 'gw', { command: '/usr/bin/secret-tool', args: ['lookup', 'x'] });
    expect(replaced).toBe('K');
    const text = doc.toString();
    expect(text).toContain('# the gateway');
    expect(text).not.toMatch(/env_key|requires_openai_auth|experimental_bearer_token/);
    expect(doc.get(['model_providers', 'gw', 'auth'])).toEqual({
      command: '/usr/bin/secret-tool',
      args: ['lookup', 'x'],
    });
    expect(doc.get(['model_providers', 'gw', 'http_headers'])).toEqual({ a: 'b' });
    expect(() => setProviderAuth(doc, 'nope', { command: '/x', args: [] })).toThrow(/no provider "nope"/);
  });
});

describe('provider add on a provider whose key comes from an auth command', () => {
  it('keeps the auth table and adds no env_key next to it', async () => {
    const { addProvider } = await import('../../src/config/provider-edit.ts');
    const doc = TomlDocument.parse(
      '[model_providers.gw]\nname = "G"\nbase_url = "http://x/v1"\nwire_api = "responses"\n\n[model_providers.gw.auth]\ncommand = "/usr/bin/secret-tool"\nargs = ["lookup"]\n',
    );
    const table = { name: 'G', base_url: 'http://y/v1', env_key: 'K', wire_api: 'responses' as const };
    const outcome = addProvider(doc, { id: 'gw', table, force: true });
    expect(outcome.differences).toEqual(['base_url: "http://x/v1" → "http://y/v1"']);
    expect(doc.get(['model_providers', 'gw', 'env_key'])).toBeUndefined();
    expect(doc.get(['model_providers', 'gw', 'auth'])).toEqual({
      command: '/usr/bin/secret-tool',
      args: ['lookup'],
    });
  });
});
