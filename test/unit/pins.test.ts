import { describe, expect, it } from 'vitest';
import { isInside, parsePins, pinFor, renderPins, withoutPin, withPin } from '../../src/app/pins.ts';
import { FileError } from '../../src/errors.ts';
import { INCLUDE_HEADERS, scanRc, updateBlock } from '../../src/shell/block.ts';
import type { Syntax } from '../../src/shell/quote.ts';
import { findCodexRedefinition, readCodexArgs } from '../../src/shell/wrapper.ts';

const pin = (root: string, profile: string) => ({ root, profile, pinnedAt: '' });

describe('pins map', () => {
  it('round-trips through the file, sorted, skipping comments and malformed lines', () => {
    const pins = [pin('/b/repo', 'work'), pin('/a/repo', 'client-a')];
    const text = renderPins(pins);
    expect(text.split('\n')[0]).toMatch(/^# codexgw pins/);
    expect(parsePins(text)).toEqual([pin('/a/repo', 'client-a'), pin('/b/repo', 'work')]);
    expect(parsePins(`${text}no-tab-line\n/x\tbad name\t\n/y\tok\r\n`)).toHaveLength(3);
  });

  it('applies in the root and below it, the deepest root winning; never in a sibling with the same prefix', () => {
    const pins = [pin('/src/app', 'outer'), pin('/src/app/vendor/lib', 'inner')];
    expect(pinFor(pins, '/src/app')?.profile).toBe('outer');
    expect(pinFor(pins, '/src/app/x/y')?.profile).toBe('outer');
    expect(pinFor(pins, '/src/app/vendor/lib/z')?.profile).toBe('inner');
    expect(pinFor(pins, '/src/app-2')).toBeUndefined();
    expect(pinFor(pins, '/src')).toBeUndefined();
    expect(isInside('C:\\src\\app\\x', 'C:\\src\\app', '\\')).toBe(true);
  });

  it('replaces a pin of the same root, and removes only the given root', () => {
    const pins = withPin([pin('/a', 'one'), pin('/b', 'two')], pin('/a', 'three'));
    expect(pins.map((p) => `${p.root}=${p.profile}`).sort()).toEqual(['/a=three', '/b=two']);
    expect(withoutPin(pins, '/a')).toEqual([pin('/b', 'two')]);
  });
});

describe('readCodexArgs: what the wrapper makes of a codex command line', () => {
  it('finds an explicit profile before --, and only there', () => {
    expect(readCodexArgs(['exec', '-p', 'x']).explicitProfile).toBe(true);
    expect(readCodexArgs(['--profile=x']).explicitProfile).toBe(true);
    expect(readCodexArgs(['exec', '--', '-p']).explicitProfile).toBe(false);
    // The value of -c is not an option.
    expect(readCodexArgs(['-c', 'model=x', 'exec']).explicitProfile).toBe(false);
  });

  it('knows the subcommands that reject --profile, skipping option values', () => {
    expect(readCodexArgs(['login', 'status']).rejectsProfile).toBe(true);
    expect(readCodexArgs(['-m', 'login', 'exec']).rejectsProfile).toBe(false);
    expect(readCodexArgs(['debug', 'prompt-input']).rejectsProfile).toBe(false);
    expect(readCodexArgs(['debug', 'models']).rejectsProfile).toBe(true);
    expect(readCodexArgs(['fix the login page']).rejectsProfile).toBe(false);
  });

  it('reads -C/--cd in every form', () => {
    expect(readCodexArgs(['-C', '/w', 'exec']).cd).toBe('/w');
    expect(readCodexArgs(['-C/w']).cd).toBe('/w');
    expect(readCodexArgs(['--cd=/w']).cd).toBe('/w');
  });
});

describe('the managed block loads generated files', () => {
  const F = '/home/u/.rc';
  for (const syntax of ['sh', 'fish', 'pwsh'] as Syntax[]) {
    it(`${syntax}: adds, keeps next to variables, and removes the wrapper include`, () => {
      const user = 'alias ll=ls\n';
      const withWrapper = updateBlock(user, syntax, { include: { wrapper: '/h/.codex/w' } }, F);
      expect(withWrapper.startsWith(user)).toBe(true);
      expect(scanRc(withWrapper, syntax, F).block?.includes.wrapper?.file).toBe('/h/.codex/w');
      const withVar = updateBlock(withWrapper, syntax, { set: [['K', 'v']] }, F);
      const scan = scanRc(withVar, syntax, F).block!;
      expect(scan.includes.wrapper?.file).toBe('/h/.codex/w');
      expect(scan.vars.map((v) => v.name)).toEqual(['K']);
      // Unchanged include: the same text.
      expect(updateBlock(withVar, syntax, { include: { wrapper: '/h/.codex/w' } }, F)).toBe(withVar);
      const noWrapper = updateBlock(withVar, syntax, { include: { wrapper: null } }, F);
      expect(scanRc(noWrapper, syntax, F).block?.includes.wrapper).toBeUndefined();
      // The last entry gone: the whole block goes, the user's lines stay.
      expect(updateBlock(noWrapper, syntax, { unset: ['K'] }, F)).toBe(user);
    });
  }

  it('refuses a header whose load line was edited by hand', () => {
    const text = updateBlock('', 'sh', { include: { completion: '/h/c.bash' } }, F).replace(
      /if \[ -r .*\n/,
      'source /h/c.bash\n',
    );
    expect(text).toContain(INCLUDE_HEADERS.completion);
    expect(() => scanRc(text, 'sh', F)).toThrow(FileError);
  });

  it('finds an alias anywhere, or a later function, that hides the wrapper', () => {
    const block = { startLine: 2, endLine: 4 };
    const rc = (...texts: string[]) => texts.map((text) => ({ text }));
    // An alias before the block still wins over the function at call time.
    expect(findCodexRedefinition(rc("alias codex='codex --yolo'", '#', '#', '#'), 'sh', block)?.line).toBe(1);
    // A function before the block is replaced by the wrapper; after it, it replaces the wrapper.
    expect(findCodexRedefinition(rc('codex() { :; }', '#', '#', '#'), 'sh', block)).toBeUndefined();
    expect(findCodexRedefinition(rc('x', '#', '#', '#', 'function codex {'), 'sh', block)?.line).toBe(5);
    expect(findCodexRedefinition(rc('alias codex "codex -a"'), 'fish')?.line).toBe(1);
    expect(
      findCodexRedefinition(rc('Set-Alias -Name codex -Value x', '#', '#', '#'), 'pwsh', block)?.line,
    ).toBe(1);
  });
});
