import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelChecks } from '../../src/checks/doctor/model.ts';
import { doctorInput, one, PORTKEY } from '../helpers/doctor.ts';
import { makeWorld } from '../helpers/setup-home.ts';

function run(config: string) {
  const w = makeWorld();
  const file = w.write(path.join(w.codexHome, 'config.toml'), config);
  return { checks: modelChecks(doctorInput(w)), file };
}

const TFY = (model: string) =>
  `model = "${model}"\nmodel_provider = "truefoundry"\n\n[model_providers.truefoundry]\nname = "TrueFoundry"\nbase_url = "https://gateway.truefoundry.ai"\nenv_key = "TFY_API_KEY"\n`;

describe('model.set', () => {
  it('is ok when a model is set, with its line', () => {
    expect(one(run(PORTKEY).checks, 'model.set')).toMatchObject({ status: 'ok', line: 1 });
  });

  it('warns when a gateway provider has no model (Codex sends its own default)', () => {
    const { checks } = run(PORTKEY.replace('model = "gpt-5"\n', ''));
    const c = one(checks, 'model.set');
    expect(c.status).toBe('warning');
    expect(c.fix).toContain('codexgw model set');
    expect(one(checks, 'model.name').status).toBe('skipped');
    expect(one(checks, 'model.metadata').status).toBe('skipped');
  });

  it('is ok on a built-in provider, where names are not checked', () => {
    const { checks } = run('model = "o3"\n');
    expect(one(checks, 'model.set').status).toBe('ok');
    expect(one(checks, 'model.name').status).toBe('skipped');
  });
});

describe('model.name and model.metadata', () => {
  it('a plain catalog model with a Portkey provider header is ok on both counts', () => {
    const { checks } = run(PORTKEY.replace('"gpt-5"', '"gpt-5.5"'));
    expect(one(checks, 'model.name').status).toBe('ok');
    const c = one(checks, 'model.metadata');
    expect(c.status).toBe('ok');
    expect(c.message).toBe(`"gpt-5.5" is in Codex 0.169.0's bundled model catalog`);
  });

  it("metadata follows 0.169's bundled catalog: gpt-4o, gpt-4 and gpt-5 are warned about, a plain name is not enough", () => {
    for (const model of ['gpt-4o', 'gpt-4', 'gpt-5']) {
      const c = one(run(PORTKEY.replace('"gpt-5"', `"${model}"`)).checks, 'model.metadata');
      expect(c.status, model).toBe('warning');
      expect(c.message).toContain(`Codex 0.169.0 has no metadata for "${model}"`);
      expect(c.fix).toContain('gpt-6-astra');
      expect(c.fix).toContain('model_catalog_json');
    }
  });

  it('a model the bundled catalog lacks is ok when model_catalog_json describes it', () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'models.json'), JSON.stringify({ models: [{ slug: 'gpt-4o' }] }));
    const file = w.write(
      path.join(w.codexHome, 'config.toml'),
      `model_catalog_json = "models.json"
${PORTKEY.replace('"gpt-5"', '"gpt-4o"')}`,
    );
    const c = one(modelChecks(doctorInput(w)), 'model.metadata');
    expect(c).toMatchObject({ status: 'ok', file, line: 2 });
    expect(c.message).toContain(path.join(w.codexHome, 'models.json'));
  });

  it('the catalog is the one of the Codex in use: gpt-6.2-sol has metadata in 0.171.0, not in 0.169.0', () => {
    const config = PORTKEY.replace('"gpt-5"', '"gpt-6.2-sol"');
    expect(one(run(config).checks, 'model.metadata').status).toBe('warning');
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), config);
    const newer = doctorInput(w, { codex: { version: { ok: true, text: 'codex-cli 0.171.0' } } });
    expect(one(modelChecks(newer), 'model.metadata').message).toContain(
      "Codex 0.171.0's bundled model catalog",
    );
  });

  it('Portkey @slug/model: the name is fine, the metadata fallback gets the header fix', () => {
    const { checks, file } = run(PORTKEY.replace('"gpt-5"', '"@openai-prod/gpt-5"'));
    expect(one(checks, 'model.name').status).toBe('ok');
    const c = one(checks, 'model.metadata');
    expect(c).toMatchObject({ status: 'warning', file, line: 1 });
    expect(c.fix).toContain('http_headers = { "x-portkey-provider" = "@openai-prod" }');
    expect(c.fix).toContain('codexgw model set gpt-5');
  });

  it('Portkey: a plain model without a provider header, and a slug without @, are warnings', () => {
    const bare = PORTKEY.replace('http_headers = { "x-portkey-provider" = "@openai-prod" }\n', '');
    const c = one(run(bare).checks, 'model.name');
    expect(c.status).toBe('warning');
    expect(c.fix).toContain('x-portkey-provider');
    const noAt = run(PORTKEY.replace('"gpt-5"', '"openai-prod/gpt-5"')).checks;
    expect(one(noAt, 'model.name').status).toBe('warning');
    expect(one(noAt, 'model.metadata').status).toBe('warning');
  });

  it('Portkey: a malformed catalog id is an error', () => {
    expect(one(run(PORTKEY.replace('"gpt-5"', '"@/gpt-5"')).checks, 'model.name').status).toBe('error');
  });

  it('TrueFoundry account/model: the metadata fallback gets the routing-rule fix', () => {
    const { checks } = run(TFY('openai-main/gpt-5'));
    expect(one(checks, 'model.name').status).toBe('ok');
    const c = one(checks, 'model.metadata');
    expect(c.status).toBe('warning');
    expect(c.fix).toContain('codexgw truefoundry routing-rule --model gpt-5 --target openai-main/gpt-5');
    expect(c.fix).toContain('codexgw model set gpt-5');
  });

  it('TrueFoundry plain catalog name: needs a routing rule (warning), keeps metadata', () => {
    const { checks } = run(TFY('gpt-5.5'));
    const c = one(checks, 'model.name');
    expect(c.status).toBe('warning');
    expect(c.fix).toContain('routing-rule');
    expect(one(checks, 'model.metadata').status).toBe('ok');
  });

  it('a model name with spaces is an error', () => {
    expect(one(run(TFY('gpt 5')).checks, 'model.name').status).toBe('error');
  });

  it('another gateway with a "/" gets the generic metadata warning', () => {
    const or = `model = "openai/gpt-5"\nmodel_provider = "or"\n[model_providers.or]\nname = "OR"\nbase_url = "https://openrouter.ai/api/v1"\nenv_key = "OPENROUTER_API_KEY"\n`;
    const c = one(run(or).checks, 'model.metadata');
    expect(c.status).toBe('warning');
    expect(c.fix).not.toBeNull();
  });
});
