/**
 * The built `codexgw init` in a real pseudo-terminal, typed at like a person would: every step
 * waits (bounded) for its prompt, then sends keys. One run goes all the way, picking the model
 * from the list a loopback fake gateway serves; one presses Ctrl-C midway and must leave every
 * file as it was (exit 130). `npm test` builds dist/ first; a local run needs `npm run build`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { KEYS, type PtyRun, spawnCliInPty } from '../helpers/pty.ts';
import { makeWorld, type TempWorld } from '../helpers/setup-home.ts';

const KEY = 'pk-live-0123456789abcdef-SECRET-wxyz';

let gw: FakeGateway | undefined;
let session: PtyRun | undefined;
afterEach(async () => {
  session?.kill();
  session = undefined;
  await gw?.close();
  gw = undefined;
});

function wizard(w: TempWorld): PtyRun {
  // No CI variable: the wizard must see a terminal and prompt.
  const env = { ...w.env, SHELL: '/bin/bash', TERM: 'xterm-256color', NO_COLOR: '1' };
  session = spawnCliInPty(['init'], { cwd: w.work, env });
  return session;
}

/** Wait for a prompt, then answer it. */
async function answer(p: PtyRun, prompt: string | RegExp, keys: string): Promise<void> {
  await p.waitFor(prompt);
  p.type(keys);
}

/** Every file under a directory with its content (to prove nothing changed). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else out[path.relative(dir, f)] = readFileSync(f, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('codexgw init in a terminal', () => {
  it('walks a new user through Portkey, with the model picked from the gateway list', async () => {
    gw = await startFakeGateway({
      requireKey: KEY,
      models: ['@openai-prod/gpt-5', '@openai-prod/gpt-4o', '@anthropic-prod/claude-sonnet-5'],
    });
    const w = makeWorld();
    w.write(path.join(w.home, '.bashrc'), '# my bashrc\nalias ll="ls -l"\n');
    const started = performance.now();
    const p = wizard(w);

    await answer(p, 'Which gateway do you route Codex through?', KEYS.enter); // Portkey, the first
    await answer(p, 'Where should the provider go?', KEYS.enter); // the user config
    await answer(p, 'Which Portkey gateway?', KEYS.down + KEYS.down + KEYS.enter); // another URL
    // A URL without a scheme is refused on entry; the prompt stays for a corrected one.
    await answer(p, 'Portkey base URL (Codex appends /responses):', `127.0.0.1/v1${KEYS.enter}`);
    await answer(p, 'has no scheme. Start it with https://', KEYS.ctrlU + gw.baseUrl + KEYS.enter);
    await answer(p, 'Provider id (keep it stable', KEYS.enter); // portkey
    await answer(p, 'Environment variable that holds the API key', KEYS.enter); // PORTKEY_API_KEY
    await answer(p, 'Portkey API key for PORTKEY_API_KEY (input hidden', KEY + KEYS.enter);
    await answer(p, 'Where should PORTKEY_API_KEY be kept?', KEYS.enter); // ~/.bashrc
    await p.waitFor('Portkey accepted the key and lists 3 models.');
    await answer(p, 'Model (3 listed by the gateway; type to filter):', 'gpt-5');
    // The list is filtered for what was typed; Enter takes the first match.
    await answer(p, "gpt-5 (as typed; not in the gateway's list)", KEYS.enter);
    await answer(p, 'Send x-portkey-provider: @openai-prod and use the plain model "gpt-5"', KEYS.enter);
    await answer(p, 'Add an HTTP header to every request?', KEYS.enter); // no more
    await answer(p, 'Make "portkey" the active provider (model_provider)', KEYS.enter);
    await p.waitFor('+export PORTKEY_API_KEY=pk-…wxyz'); // the rc diff, masked
    await answer(p, 'Write these changes?', KEYS.enter);
    const { exitCode } = await p.exit;
    const seconds = (performance.now() - started) / 1000;

    expect(exitCode).toBe(0);
    const out = p.output();
    expect(out).toContain('Created ~/.codex/config.toml');
    expect(out).toContain('Updated ~/.bashrc');
    expect(out).toContain('Try it: codex "explain this repository"');
    expect(out).toContain('Open a new terminal, or load them here: eval "$(codexgw env print)"');
    expect(out).not.toContain(KEY);
    expect(out).not.toContain('SECRET');
    expect(readFileSync(path.join(w.codexHome, 'config.toml'), 'utf8')).toBe(
      [
        // A file codexgw creates starts with the schema line Codex's docs recommend.
        '#:schema https://developers.openai.com/codex/config-schema.json',
        '',
        'model_provider = "portkey"',
        'model = "gpt-5"',
        '',
        '[model_providers.portkey]',
        'name = "Portkey"',
        `base_url = "${gw.baseUrl}"`,
        'env_key = "PORTKEY_API_KEY"',
        'wire_api = "responses"',
        'http_headers = { x-portkey-provider = "@openai-prod" }',
        '',
      ].join('\n'),
    );
    expect(readFileSync(path.join(w.home, '.bashrc'), 'utf8')).toBe(
      `# my bashrc\nalias ll="ls -l"\n# >>> codexgw >>>\n# managed by codexgw; edit with codexgw env\nexport PORTKEY_API_KEY='${KEY}'\n# <<< codexgw <<<\n`,
    );
    expect(gw.requests).toHaveLength(1);
    expect(gw.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seconds).toBeLessThan(20);
  });

  it('Ctrl-C midway exits 130 and changes no file', async () => {
    gw = await startFakeGateway({ requireKey: KEY, models: ['gpt-5'] });
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), '# mine\nmodel = "o3"\n');
    w.write(path.join(w.home, '.bashrc'), 'alias ll="ls -l"\n');
    const before = snapshot(w.home);
    const p = wizard(w);

    await answer(p, 'Which gateway do you route Codex through?', KEYS.down + KEYS.down + KEYS.enter); // LiteLLM
    await answer(p, 'Where should the provider go?', KEYS.enter);
    await answer(p, 'LiteLLM base URL (Codex appends /responses):', KEYS.ctrlU + gw.baseUrl + KEYS.enter);
    await answer(p, 'Provider id (keep it stable', KEYS.enter);
    await answer(p, 'Environment variable that holds the API key', KEYS.enter);
    await answer(p, 'LiteLLM API key for LITELLM_API_KEY (input hidden', KEY + KEYS.enter);
    await answer(p, 'Where should LITELLM_API_KEY be kept?', KEYS.enter);
    // The key is checked and the model list is up: this is where the user gives up.
    await answer(p, 'Model (1 listed by the gateway; type to filter):', KEYS.ctrlC);
    const { exitCode } = await p.exit;

    expect(exitCode).toBe(130);
    expect(p.output()).toContain('Cancelled. Nothing was written.');
    expect(p.output()).not.toContain(KEY);
    expect(snapshot(w.home)).toEqual(before);
    expect(existsSync(path.join(w.codexHome, 'backups'))).toBe(false);
  });
});
