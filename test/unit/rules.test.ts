import { describe, expect, it } from 'vitest';
import { checkFile } from '../../src/checks/rules.ts';
import { didYouMean } from '../../src/config/schema.ts';
import { parseToml } from '../../src/config/source.ts';

const ids = (toml: string) =>
  checkFile(parseToml(toml, 'x.toml', { bigint: true })).map(
    (f) => `${f.severity}:${f.id}:${f.path.join('.')}`,
  );

describe('checkFile', () => {
  it('accepts a clean gateway config', () => {
    expect(
      ids(`model = "gpt-5"
model_provider = "portkey"
model_reasoning_effort = "high"
[model_providers.portkey]
name = "Portkey"
base_url = "https://api.portkey.ai/v1"
env_key = "PORTKEY_API_KEY"
wire_api = "responses"
request_max_retries = 4
http_headers = { "x-portkey-provider" = "@openai-prod" }
[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-mcp"]
startup_timeout_sec = 20
[projects."/tmp/x"]
trust_level = "trusted"
[features]
shell_tool = true
`),
    ).toEqual([]);
  });

  it.each([
    [
      '[model_providers.p]\nname = "P"\nwire_api = "chat"\n',
      'error:wire-api-chat:model_providers.p.wire_api',
    ],
    [
      '[model_providers.p]\nname = "P"\nwire_api = "bogus"\n',
      'error:wire-api-invalid:model_providers.p.wire_api',
    ],
    ['[model_providers.openai]\nname = "x"\n', 'error:reserved-provider-id:model_providers.openai'],
    ['[model_providers.ollama]\nname = "x"\n', 'error:reserved-provider-id:model_providers.ollama'],
    ['[model_providers.lmstudio]\nname = "x"\n', 'error:reserved-provider-id:model_providers.lmstudio'],
    ['[model_providers.p]\nbase_url = "x"\n', 'error:provider-name-missing:model_providers.p'],
    ['[model_providers.p]\nname = " "\n', 'error:provider-name-missing:model_providers.p'],
    [
      '[model_providers.p]\nname = "P"\nenv_key = "K"\nauth = { command = "x" }\n',
      'error:auth-combined:model_providers.p.auth',
    ],
    [
      '[model_providers.p]\nname = "P"\naws = { region = "x" }\n',
      'error:aws-not-bedrock:model_providers.p.aws',
    ],
    [
      '[model_providers.amazon-bedrock]\nname = "x"\n',
      'error:bedrock-field:model_providers.amazon-bedrock.name',
    ],
    ['profile = "work"\n', 'error:legacy-profile:profile'],
    ['[profiles.work]\nmodel = "x"\n', 'info:legacy-profiles-table:profiles.work'],
    ['approval_policy = "untrusted"\n', 'error:approval-untrusted:approval_policy'],
    ['approval_policy = "on-failure"\n', 'info:approval-on-failure:approval_policy'],
    ['model_provider = "ollama-chat"\n', 'error:ollama-chat:model_provider'],
    ['temperature = 0.2\n', 'warning:ignored-key:temperature'],
    ['max_output_tokens = 100\n', 'warning:ignored-key:max_output_tokens'],
    ['parallel_tool_calls = true\n', 'warning:ignored-key:parallel_tool_calls'],
    ['tool_choice = "auto"\n', 'warning:ignored-key:tool_choice'],
    ['modle = "x"\n', 'warning:unknown-key:modle'],
    ['[model_providers.p]\nname = "P"\napi_key = "x"\n', 'warning:unknown-key:model_providers.p.api_key'],
    ['[mcp_servers.m]\ncommand = "x"\ntransport = "stdio"\n', 'warning:unknown-key:mcp_servers.m.transport'],
    ['[mcp_servers.m]\ncommand = "x"\nurl = "http://h"\n', 'error:mcp-url-and-command:mcp_servers.m.url'],
    ['[features]\nnot_a_feature = true\n', 'warning:unknown-feature:features.not_a_feature'],
    ['[mcp_servers.m]\nargs = ["x"]\n', 'error:mcp-no-transport:mcp_servers.m'],
    ['model_context_window = "abc"\n', 'error:invalid-type:model_context_window'],
    [
      '[model_providers.p]\nname = "P"\nrequest_max_retries = "3"\n',
      'error:invalid-type:model_providers.p.request_max_retries',
    ],
    [
      '[model_providers.p]\nname = "P"\nrequest_max_retries = 3.0\n',
      'error:invalid-type:model_providers.p.request_max_retries',
    ],
    ['notify = "notify-send"\n', 'error:invalid-type:notify'],
    ['sandbox_mode = "bogus"\n', 'error:invalid-value:sandbox_mode'],
    ['[projects."/x"]\ntrust_level = "maybe"\n', 'error:invalid-value:projects./x.trust_level'],
    ['[history]\npersistence = "all"\n', 'error:invalid-value:history.persistence'],
  ])('%j → %s', (toml, expected) => {
    expect(ids(toml)).toContain(expected);
  });

  it('suggests the nearest known key', () => {
    const [f] = checkFile(parseToml('model_verbositty = "low"\n', 'x', { bigint: true }));
    expect(f!.fix).toBe('Did you mean `model_verbosity`?');
    const [g] = checkFile(parseToml('[model_providers.p]\nname="P"\nbase_ur = "x"\n', 'x', { bigint: true }));
    expect(g!.fix).toBe('Did you mean `model_providers.p.base_url`?');
  });

  it('does not guess when nothing is close', () => {
    expect(didYouMean('zzzzzzzz', ['model', 'profile'])).toBeUndefined();
    expect(didYouMean('modle', ['model', 'profile'])).toBe('model');
  });
});
