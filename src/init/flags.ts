// The options of `codexgw init`, declared once: the command's spec (src/commands/init.ts) uses
// them, and the wizard's steps read their typed values (InitFlags). Every question has a flag.
import { DRY_RUN, defineSpec, KEY_STORE, type OptionsOf } from '../command-spec.ts';
import { GATEWAY_IDS } from '../gateways/types.ts';
import { STORE_OPTION } from '../keys/store-option.ts';

export const INIT_SPEC = defineSpec({
  summary: 'the set-up wizard: gateway, URL, id, key, model, headers, scope; shows the diff, then writes',
  options: {
    gateway: { kind: 'value', value: 'gateway', description: 'gateway preset', choices: GATEWAY_IDS },
    baseUrl: { kind: 'value', value: 'url', description: "the gateway's base URL" },
    id: { kind: 'value', value: 'id', description: 'provider id' },
    envKey: { kind: 'value', value: 'VAR', description: 'environment variable for the API key' },
    keyStdin: { kind: 'flag', description: 'read the API key from stdin' },
    store: STORE_OPTION,
    model: { kind: 'value', value: 'model', description: 'model to use' },
    header: { kind: 'list', value: 'K=V', description: 'static HTTP header (repeatable)' },
    envHeader: {
      kind: 'list',
      value: 'K=VAR',
      description: 'HTTP header from an environment variable (repeatable)',
    },
    profile: {
      kind: 'value',
      short: 'p',
      value: 'name',
      description: 'write a profile file instead of the user config',
    },
    /** Not given: asked (default yes); --use → true; --no-use → false. */
    use: {
      kind: 'flag',
      description: 'make the provider active (default)',
      negatable: 'do not make the provider active',
    },
    yes: { kind: 'flag', short: 'y', description: 'accept defaults and do not ask' },
    dryRun: { ...DRY_RUN, description: 'print the diffs and write nothing' },
    json: { kind: 'flag', description: 'print the result as JSON (with --yes: no questions)' },
    ...KEY_STORE,
  },
  examples: [
    'codexgw init',
    'echo "$KEY" | codexgw init --yes --gateway portkey --key-stdin --model gpt-5.5 --header x-portkey-provider=@openai-prod',
  ],
});

/** The wizard checks the gateway itself (a prompt answers it too), so it takes any string here. */
export type InitFlags = Omit<OptionsOf<typeof INIT_SPEC>, 'gateway'> & { gateway?: string };
