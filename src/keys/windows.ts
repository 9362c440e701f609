import path from 'node:path';
import { UserError } from '../errors.ts';
import {
  type AuthCommand,
  type Availability,
  type KeyBackend,
  type KeyProcess,
  type Lookup,
  SERVICE,
  type Unavailable,
} from './keychain.ts';
import { type ProcessResult, runProcess } from './run.ts';
import { selfCommand } from './self.ts';

/**
 * The Windows Credential Manager: a generic credential `codexgw:<account>`, read and written with
 * advapi32's CredRead/CredWrite from Windows PowerShell (no native module to ship). The script
 * goes in argv (-EncodedCommand) and the secret on stdin, so no command line shows it. No stock
 * command prints a generic credential, so Codex runs `codexgw key print <id>`.
 */

export function powershellPath(env: NodeJS.ProcessEnv): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows';
  return path.win32.join(root, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
}

export const targetName = (account: string) => `${SERVICE}:${account}`;

const NATIVE = `
Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
public static class CodexgwCred {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
  public struct CREDENTIAL {
    public int Flags; public int Type; public string TargetName; public string Comment;
    public System.Runtime.InteropServices.ComTypes.FILETIME LastWritten;
    public int CredentialBlobSize; public IntPtr CredentialBlob; public int Persist;
    public int AttributeCount; public IntPtr Attributes; public string TargetAlias; public string UserName;
  }
  [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
  public static extern bool CredReadW(string target, int type, int flags, out IntPtr cred);
  [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
  public static extern bool CredWriteW(ref CREDENTIAL cred, int flags);
  [DllImport("advapi32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
  public static extern bool CredDeleteW(string target, int type, int flags);
  [DllImport("advapi32.dll")]
  public static extern void CredFree(IntPtr cred);
}
'@
`;

/** A PowerShell single-quoted string. */
function psString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Exit codes of the scripts: 0 done, 2 no such credential, 1 anything else (message on stderr). */
function script(op: 'get' | 'set' | 'delete', account: string, providerId: string): string {
  const target = psString(targetName(account));
  const body = {
    get: `$p = [IntPtr]::Zero
if (-not [CodexgwCred]::CredReadW(${target}, 1, 0, [ref]$p)) {
  $e = [Runtime.InteropServices.Marshal]::GetLastWin32Error(); if ($e -eq 1168) { exit 2 }; [Console]::Error.WriteLine("CredRead failed: $e"); exit 1 }
$c = [Runtime.InteropServices.Marshal]::PtrToStructure($p, [type][CodexgwCred+CREDENTIAL])
$b = New-Object byte[] $c.CredentialBlobSize
[Runtime.InteropServices.Marshal]::Copy($c.CredentialBlob, $b, 0, $c.CredentialBlobSize)
[CodexgwCred]::CredFree($p)
[Console]::Out.Write([Convert]::ToBase64String($b))`,
    set: `$b = [Text.Encoding]::UTF8.GetBytes([Console]::In.ReadToEnd())
$c = New-Object CodexgwCred+CREDENTIAL
$c.Type = 1; $c.Persist = 2; $c.TargetName = ${target}; $c.UserName = ${psString(account)}
$c.Comment = ${psString(`codexgw: ${providerId} key`)}
$c.CredentialBlobSize = $b.Length
$c.CredentialBlob = [Runtime.InteropServices.Marshal]::AllocHGlobal($b.Length)
[Runtime.InteropServices.Marshal]::Copy($b, 0, $c.CredentialBlob, $b.Length)
$ok = [CodexgwCred]::CredWriteW([ref]$c, 0)
$e = [Runtime.InteropServices.Marshal]::GetLastWin32Error()
[Runtime.InteropServices.Marshal]::FreeHGlobal($c.CredentialBlob)
if (-not $ok) { [Console]::Error.WriteLine("CredWrite failed: $e"); exit 1 }`,
    delete: `if (-not [CodexgwCred]::CredDeleteW(${target}, 1, 0)) {
  $e = [Runtime.InteropServices.Marshal]::GetLastWin32Error(); if ($e -eq 1168) { exit 2 }; [Console]::Error.WriteLine("CredDelete failed: $e"); exit 1 }`,
  }[op];
  return `$ErrorActionPreference = 'Stop'\n${NATIVE}\n${body}\n`;
}

/** One PowerShell run; the secret (for `set`) is its stdin. */
export function credentialProcess(
  env: NodeJS.ProcessEnv,
  op: 'get' | 'set' | 'delete',
  account: string,
  providerId: string,
  secret?: string,
): KeyProcess {
  const encoded = Buffer.from(script(op, account, providerId), 'utf16le').toString('base64');
  return {
    file: powershellPath(env),
    args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encoded],
    input: op === 'set' ? secret : undefined,
  };
}

function failure(r: ProcessResult): Unavailable {
  return {
    ok: false,
    reason: r.spawnError !== undefined ? 'not-installed' : r.timedOut ? 'timeout' : 'failed',
    message: `Windows PowerShell could not use the Credential Manager: ${r.spawnError ?? (r.stderr.trim() || `exit code ${r.exitCode}`)}`,
    hint: 'Check that Windows PowerShell runs (powershell -NoProfile), or use --store file.',
  };
}

export class WindowsCredentialBackend implements KeyBackend {
  readonly kind = 'windows-credential' as const;
  readonly label = 'the Windows Credential Manager';

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  async probe(): Promise<Availability> {
    const r = await runProcess(credentialProcess(this.env, 'get', '__codexgw_probe__', ''), this.env, 15_000);
    return r.exitCode === 0 || r.exitCode === 2 ? { ok: true } : failure(r);
  }

  async get(account: string): Promise<Lookup> {
    const r = await runProcess(credentialProcess(this.env, 'get', account, ''), this.env, 15_000);
    if (r.exitCode === 0)
      return { status: 'found', secret: Buffer.from(r.stdout.trim(), 'base64').toString('utf8') };
    if (r.exitCode === 2) return { status: 'missing' };
    return { status: 'error', ...failure(r) };
  }

  async set(account: string, secret: string, providerId: string): Promise<void> {
    const r = await runProcess(
      credentialProcess(this.env, 'set', account, providerId, secret),
      this.env,
      15_000,
    );
    if (r.exitCode !== 0) {
      const u = failure(r);
      throw new UserError(`${u.message}.`, { hint: u.hint });
    }
  }

  async remove(account: string): Promise<boolean> {
    const r = await runProcess(credentialProcess(this.env, 'delete', account, ''), this.env, 15_000);
    if (r.exitCode === 0) return true;
    if (r.exitCode === 2) return false;
    const u = failure(r);
    throw new UserError(`${u.message}.`, { hint: u.hint });
  }

  authCommand(_account: string, providerId: string): AuthCommand {
    return selfCommand(providerId);
  }

  where(account: string): string {
    return `${this.label}, generic credential ${targetName(account)}`;
  }
}
