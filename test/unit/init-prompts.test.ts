/**
 * The prompts wrapper over @inquirer/prompts: it refuses to prompt without a terminal (naming the
 * flag), draws on ctx.stderr, reads ctx.stdin, and a hidden answer is never echoed.
 */
import { PassThrough, Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.ts';
import { EXIT, UsageError } from '../../src/errors.ts';
import { askConfirm, askInput, askSearch, askSecret, askSelect, promptAsk } from '../../src/io/prompts.ts';
import { captureContext } from '../helpers/tmp.ts';

/** A Context whose stdin is a stream we type into and whose stderr is a stream we read. */
function terminal(): {
  ctx: Context;
  when: (seen: RegExp, s: string) => Promise<void>;
  screen: () => string;
} {
  const input = new PassThrough();
  let drawn = '';
  const output = new Writable({
    write(chunk, _enc, done) {
      drawn += String(chunk);
      done();
    },
  });
  const { ctx } = captureContext({ interactive: true });
  return {
    ctx: { ...ctx, stdin: input, stderr: output as unknown as Context['stderr'] },
    screen: () => stripVTControlCharacters(drawn),
    // Type once the screen shows `seen` (a bounded poll, no fixed delay).
    async when(seen, s) {
      for (let i = 0; !seen.test(stripVTControlCharacters(drawn)); i++) {
        if (i > 500) throw new Error(`never drawn: ${seen}\n${stripVTControlCharacters(drawn)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      input.write(s);
    },
  };
}

describe('prompts without a terminal', () => {
  it('every kind refuses with a usage error that names the flag', async () => {
    const { ctx } = captureContext({ interactive: false });
    const q = { message: 'Which gateway?', flag: '--gateway <name>' };
    for (const ask of [
      () => askSelect(ctx, { ...q, choices: [{ value: 'a', name: 'a' }] }),
      () => askSearch(ctx, { ...q, source: () => [] }),
      () => askInput(ctx, q),
      () => askSecret(ctx, q),
      () => askConfirm(ctx, q),
    ]) {
      const err = await ask().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(EXIT.usage);
      expect((err as UsageError).message).toBe(
        'codexgw cannot ask "Which gateway": stdin is not a terminal.',
      );
      expect((err as UsageError).hint).toBe('Pass --gateway <name>.');
    }
  });

  it('says CI when stdin is a terminal but CI is set', async () => {
    const { ctx } = captureContext({ interactive: false });
    (ctx.stdin as { isTTY?: boolean }).isTTY = true;
    const err = (await askInput(ctx, { message: 'Model:', flag: '--model <name>' }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(err.message).toBe('codexgw cannot ask "Model": CI is set.');
  });
});

describe('prompts on a terminal (ctx streams)', () => {
  it('input: validated on entry, the default on Enter', async () => {
    const t = terminal();
    const answer = askInput(t.ctx, {
      message: 'Base URL:',
      flag: '--base-url <url>',
      validate: (v) => v.startsWith('https://') || 'Start it with https://',
    });
    await t.when(/Base URL:/, 'x\r');
    await t.when(/Start it with https:\/\//, '\u0015https://gw.example/v1\r');
    expect(await answer).toBe('https://gw.example/v1');
    expect(t.screen()).toContain('Start it with https://');
    const d = terminal();
    const def = askInput(d.ctx, { message: 'Id:', flag: '--id', default: 'portkey' });
    await d.when(/Id:/, '\r');
    expect(await def).toBe('portkey');
  });

  it('select and confirm', async () => {
    const t = terminal();
    const pick = askSelect(t.ctx, {
      message: 'Gateway?',
      flag: '--gateway',
      choices: [
        { value: 'portkey', name: 'Portkey' },
        { value: 'truefoundry', name: 'TrueFoundry' },
      ],
    });
    await t.when(/Gateway\?/, '\u001b[B\r');
    expect(await pick).toBe('truefoundry');
    const c = terminal();
    const yes = askConfirm(c.ctx, { message: 'Write?', flag: '--yes', default: false });
    await c.when(/Write\?/, 'y\r');
    expect(await yes).toBe(true);
  });

  it('search filters as you type', async () => {
    const t = terminal();
    const models = ['gpt-5', 'gpt-4o', 'claude-sonnet-5'];
    const pick = askSearch(t.ctx, {
      message: 'Model:',
      flag: '--model',
      source: (term) => models.filter((m) => m.includes(term)).map((m) => ({ value: m, name: m })),
    });
    await t.when(/Model:/, 'claude');
    await t.when(/❯ claude-sonnet-5/, '\r');
    expect(await pick).toBe('claude-sonnet-5');
  });

  it('secret: the typed key is never drawn, only stars', async () => {
    const t = terminal();
    const key = 'sk-hidden-0123456789abcdef';
    const answer = askSecret(t.ctx, { message: 'API key:', flag: '--key-stdin' });
    await t.when(/API key:/, `${key}\r`);
    expect(await answer).toBe(key);
    expect(t.screen()).not.toContain(key);
    expect(t.screen()).toContain('*'.repeat(key.length));
  });

  it('promptAsk binds the wrapper to a context; say writes a line to stderr', () => {
    const { ctx, err } = captureContext({ interactive: true });
    promptAsk(ctx).say('hello');
    expect(err()).toBe('hello\n');
  });
});
