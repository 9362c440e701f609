import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import {
  bashLoginHook,
  defaultRcFile,
  detectShell,
  resolveRcFlag,
  secretsFileName,
} from '../../src/shell/rc-path.ts';

describe('detectShell', () => {
  it('reads $SHELL, with --shell winning', () => {
    expect(detectShell({ SHELL: '/bin/zsh' })).toBe('zsh');
    expect(detectShell({ SHELL: '/usr/local/bin/bash' })).toBe('bash');
    expect(detectShell({ SHELL: '/opt/homebrew/bin/fish' })).toBe('fish');
    expect(detectShell({ SHELL: '-zsh' })).toBe('zsh');
    expect(detectShell({ SHELL: '/usr/bin/pwsh' })).toBe('pwsh');
    expect(detectShell({ SHELL: 'C:\\Program Files\\PowerShell\\7\\pwsh.exe' })).toBe('pwsh');
    expect(detectShell({ SHELL: '/bin/zsh' }, 'fish')).toBe('fish');
    expect(detectShell({}, undefined, 'win32')).toBe('pwsh');
  });

  it('says what to pass when it cannot tell', () => {
    expect(() => detectShell({ SHELL: '/bin/tcsh' }, undefined, 'linux')).toThrow(UsageError);
    expect(() => detectShell({}, undefined, 'linux')).toThrow(/\$SHELL is not set/);
    expect(() => detectShell({}, 'nu')).toThrow('Unknown shell "nu".');
    try {
      detectShell({ SHELL: '/bin/tcsh' }, undefined, 'linux');
    } catch (err) {
      expect((err as UsageError).exitCode).toBe(2);
      expect((err as UsageError).hint).toMatch(/--shell bash\|zsh\|fish\|pwsh/);
    }
  });
});

describe('defaultRcFile', () => {
  const env = { HOME: '/h' };
  it('follows each shell', () => {
    expect(defaultRcFile('zsh', env, 'linux')).toBe('/h/.zshrc');
    expect(defaultRcFile('zsh', { ...env, ZDOTDIR: '/z' }, 'linux')).toBe('/z/.zshrc');
    expect(defaultRcFile('bash', env, 'darwin')).toBe('/h/.bashrc');
    expect(defaultRcFile('fish', env, 'linux')).toBe('/h/.config/fish/conf.d/codexgw.fish');
    expect(defaultRcFile('fish', { ...env, XDG_CONFIG_HOME: '/x' }, 'linux')).toBe(
      '/x/fish/conf.d/codexgw.fish',
    );
    // A relative XDG_CONFIG_HOME is invalid by the spec and ignored.
    expect(defaultRcFile('fish', { ...env, XDG_CONFIG_HOME: 'rel' }, 'linux')).toBe(
      '/h/.config/fish/conf.d/codexgw.fish',
    );
    expect(defaultRcFile('pwsh', env, 'linux')).toBe(
      '/h/.config/powershell/Microsoft.PowerShell_profile.ps1',
    );
    expect(defaultRcFile('pwsh', { USERPROFILE: 'C:\\Users\\u' }, 'win32')).toBe(
      'C:\\Users\\u\\Documents\\PowerShell\\Microsoft.PowerShell_profile.ps1',
    );
  });

  it('resolves --rc-file against cwd and ~', () => {
    expect(resolveRcFlag('rc', '/w', env)).toBe('/w/rc');
    expect(resolveRcFlag('~/x/rc', '/w', env)).toBe('/h/x/rc');
    expect(resolveRcFlag('/abs', '/w', env)).toBe('/abs');
  });

  it('names a secrets file each shell can source', () => {
    expect(secretsFileName('bash')).toBe('codexgw.env');
    expect(secretsFileName('zsh')).toBe('codexgw.env');
    expect(secretsFileName('fish')).toBe('codexgw.env.fish');
    expect(secretsFileName('pwsh')).toBe('codexgw.env.ps1');
  });
});

describe('bashLoginHook (macOS login shells)', () => {
  const files = (map: Record<string, string>) => (f: string) => map[f];

  it('does nothing when the login file already reads ~/.bashrc', () => {
    const hook = bashLoginHook('/h', files({ '/h/.bash_profile': '[ -f ~/.bashrc ] && . ~/.bashrc\n' }));
    expect(hook.after).toBeUndefined();
    expect(hook.note).toMatch(/already reads ~\/.bashrc/);
  });

  it('adds its own block to the first login file bash reads, and only once', () => {
    const hook = bashLoginHook('/h', files({ '/h/.profile': '# . ~/.bashrc (commented out)\r\nexport X=1' }));
    expect(hook.file).toBe('/h/.profile');
    expect(hook.after).toBe(
      '# . ~/.bashrc (commented out)\r\nexport X=1\r\n# >>> codexgw bashrc >>>\r\n# added by codexgw: login shells (every macOS terminal) read this file, not ~/.bashrc\r\nif [ -n "$BASH_VERSION" ] && [ -r "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi\r\n# <<< codexgw bashrc <<<\r\n',
    );
    expect(bashLoginHook('/h', files({ '/h/.profile': hook.after! })).after).toBeUndefined();
  });

  it('prefers ~/.bash_profile over ~/.bash_login over ~/.profile, and creates ~/.bash_profile when none exists', () => {
    expect(bashLoginHook('/h', files({ '/h/.bash_login': '', '/h/.profile': '' })).file).toBe(
      '/h/.bash_login',
    );
    const created = bashLoginHook('/h', files({}));
    expect(created.file).toBe('/h/.bash_profile');
    expect(created.after).toMatch(/^# >>> codexgw bashrc >>>\n/);
  });
});
