import { describe, expect, it } from 'vitest';
import { maskSecret } from '../../src/io/redact.ts';
import { lookupExport, redactKeys } from '../../src/keys/redact.ts';

const auth = { command: '/usr/bin/secret-tool', args: ['lookup', 'service', 'codexgw', 'account', 'gw'] };
const KEY = 'sk-redact-0123456789ab';
const moved = [{ varName: 'GW_KEY', secret: KEY, auth }];

describe('redactKeys', () => {
  it('moves a block export of the key after the block, reading it from the store', () => {
    const text = `# rc\n# >>> codexgw >>>\n# managed by codexgw; edit with codexgw env\nexport GW_KEY='${KEY}'\nexport OTHER='x'\n# <<< codexgw <<<\nalias ll=ls\n`;
    const out = redactKeys(text, 'sh', moved);
    expect(out).not.toContain(KEY);
    expect(out).toBe(
      `# rc\n# >>> codexgw >>>\n# managed by codexgw; edit with codexgw env\nexport OTHER='x'\n# <<< codexgw <<<\nexport GW_KEY="$(/usr/bin/secret-tool lookup service codexgw account gw)" # the key is in codexgw's store now\nalias ll=ls\n`,
    );
  });

  it('rewrites the user own export in place, and masks any other occurrence', () => {
    const text = `export GW_KEY="${KEY}"\necho ${KEY}\r\n`;
    const out = redactKeys(text, 'sh', moved);
    expect(out).not.toContain(KEY);
    expect(out.split('\r\n')[0]).toBe(
      `export GW_KEY="$(/usr/bin/secret-tool lookup service codexgw account gw)" # the key is in codexgw's store now`,
    );
    expect(out).toContain(`echo ${maskSecret(KEY)}`);
  });

  it('leaves a text without the key alone', () => {
    expect(redactKeys('export A=1\n', 'sh', moved)).toBe('export A=1\n');
  });

  it('speaks fish and PowerShell', () => {
    expect(lookupExport('fish', 'GW_KEY', auth)).toBe(
      'set -gx GW_KEY (/usr/bin/secret-tool lookup service codexgw account gw)',
    );
    expect(lookupExport('pwsh', 'GW_KEY', { command: 'C:\\node.exe', args: ["it's", 'key'] })).toBe(
      "$env:GW_KEY = (& 'C:\\node.exe' 'it''s' 'key')",
    );
    const fish = redactKeys(`set -gx GW_KEY '${KEY}'\n`, 'fish', moved);
    expect(fish).toMatch(/^set -gx GW_KEY \(\/usr\/bin\/secret-tool /);
    const pwsh = redactKeys(`$env:GW_KEY = '${KEY}'\n`, 'pwsh', moved);
    expect(pwsh).toMatch(/^\$env:GW_KEY = \(& '\/usr\/bin\/secret-tool'/);
  });
});
