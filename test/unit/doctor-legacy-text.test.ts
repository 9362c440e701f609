import { describe, expect, it } from 'vitest';
import { parseToml } from '../../src/config/source.ts';
import { legacyTableText } from '../../src/doctor/legacy-text.ts';

describe('legacyTableText: a legacy table as a profile file', () => {
  it('keeps the comments inside and above the tables, renames sub-table headers, drops its own header', () => {
    const text = [
      'model = "base"',
      '',
      '# the team profile',
      '[profiles.team] # shared',
      '# the model we pay for',
      'model = "m"   # aligned',
      '',
      '[profiles.team.features] # on',
      'shell_snapshot = true',
      '',
      '[[profiles.team.mcp_servers.x.args]]',
      '',
      '[profiles.other]',
      'model = "o"',
      '',
    ].join('\n');
    const out = legacyTableText(text, 'config.toml', 'team');
    expect(out).toBe(
      [
        '# the team profile',
        '# shared',
        '# the model we pay for',
        'model = "m"   # aligned',
        '',
        '[features] # on',
        'shell_snapshot = true',
        '',
        '[[mcp_servers.x.args]]',
        '',
      ].join('\n'),
    );
    expect(parseToml(out!, 'x')).toEqual({
      model: 'm',
      features: { shell_snapshot: true },
      mcp_servers: { x: { args: [{}] } },
    });
  });

  it('keeps CRLF line endings, and quotes keys that need it', () => {
    const out = legacyTableText('[profiles.a]\r\nx = 1\r\n[profiles.a."b.c"]\r\ny = 2\r\n', 'f', 'a');
    expect(out).toBe('x = 1\r\n[profiles.a."b.c"]\r\ny = 2\r\n'.replace('profiles.a.', ''));
  });

  it('is undefined when the table has no header of its own (dotted keys, inline tables)', () => {
    expect(legacyTableText('profiles.a.model = "m"\n', 'f', 'a')).toBeUndefined();
    expect(legacyTableText('[profiles]\na = { model = "m" }\n', 'f', 'a')).toBeUndefined();
    expect(legacyTableText('[profiles.b]\nmodel = "m"\n', 'f', 'a')).toBeUndefined();
  });
});
