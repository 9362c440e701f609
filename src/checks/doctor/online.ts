import { didYouMean } from '../../config/schema.ts';
import type { GatewayId } from '../../gateways/index.ts';
import type { FetchModelsResult, HttpFailure, ProbeResult } from '../../io/http.ts';
import { activeProvider } from './active.ts';
import { type Check, type CheckStatus, check, type DoctorInput } from './types.ts';

/**
 * The online group (`--online`): `GET <base>/models` with the key, the configured model among the
 * models listed, and with `--request` one tiny streamed `POST <base>/responses`. The probes ran in
 * src/doctor/gather.ts through the HTTP client, whose typed failures already carry a message and a fix; this
 * adds the status and the latency.
 */
export function onlineChecks(input: DoctorInput): Check[] {
  const { online, options } = input;
  if (!options.online) {
    return [
      check('online.models', 'skipped', 'Not checked: run `codexgw doctor --online` to call the gateway.'),
      check('online.model-listed', 'skipped', 'Not checked (needs --online).'),
      check('online.request', 'skipped', 'Not sent (needs --online --request).'),
    ];
  }
  if (!online.models) {
    const why = online.skipReason ?? 'Nothing to call.';
    return [
      check('online.models', 'skipped', why),
      check('online.model-listed', 'skipped', why),
      check('online.request', 'skipped', why),
    ];
  }
  const gateway = input.config.loaded ? activeProvider(input.config.loaded).gateway?.gateway : undefined;
  const out = [modelsCheck(online.models), listedCheck(input, online.models, gateway)];
  if (!options.request) {
    out.push(
      check('online.request', 'skipped', 'Not sent: add --request to send one tiny POST <base>/responses.'),
    );
  } else if (!online.request) {
    out.push(check('online.request', 'skipped', online.skipReason ?? 'Not sent.'));
  } else {
    out.push(requestCheck(online.request));
  }
  return out;
}

/** Rate limits and replies codexgw cannot read are warnings: the gateway is there and answers. */
const FAILURE_STATUS: Partial<Record<HttpFailure['kind'], CheckStatus>> = {
  rate_limited: 'warning',
  bad_response: 'warning',
};

function failure(id: string, r: HttpFailure): Check {
  const after = r.kind === 'timeout' ? '' : `, after ${r.latencyMs} ms`;
  return check(id, FAILURE_STATUS[r.kind] ?? 'error', `${r.message.replace(/\.$/, '')}${after}.`, {
    fix: r.hint,
  });
}

function modelsCheck(r: FetchModelsResult): Check {
  if (!r.ok) return failure('online.models', r);
  const n = r.models.length;
  return check(
    'online.models',
    'ok',
    `GET ${r.url}: ${r.status} in ${r.latencyMs} ms, ${n} model${n === 1 ? '' : 's'} listed`,
  );
}

function requestCheck(r: ProbeResult): Check {
  if (!r.ok) return failure('online.request', r);
  const said = r.text ? `: "${r.text.length > 60 ? `${r.text.slice(0, 60)}…` : r.text}"` : '';
  const cap = r.status === 'incomplete' ? ' (stopped at the 16-token cap)' : '';
  return check('online.request', 'ok', `POST ${r.url}: the model answered in ${r.latencyMs} ms${cap}${said}`);
}

function listedCheck(input: DoctorInput, models: FetchModelsResult, gateway: GatewayId | undefined): Check {
  const model = input.config.loaded?.merged.model;
  if (typeof model !== 'string') return check('online.model-listed', 'skipped', 'No model is set.');
  if (!models.ok) return check('online.model-listed', 'skipped', 'The model list could not be fetched.');
  const list = models.models;
  if (list.includes(model)) {
    return check(
      'online.model-listed',
      'ok',
      `"${model}" is among the ${list.length} models the gateway lists`,
    );
  }
  const guess = didYouMean(model, list);
  const plain = !model.includes('/');
  const why =
    gateway === 'truefoundry' && plain
      ? ' That is expected when a TrueFoundry routing rule maps this plain name; otherwise the gateway will refuse it.'
      : gateway === 'portkey' && plain
        ? ' Portkey may still route it through the provider header; `codexgw doctor --online --request` tells for sure.'
        : '';
  return check(
    'online.model-listed',
    'warning',
    `"${model}" is not among the ${list.length} models the gateway lists.${why}`,
    {
      fix: guess
        ? `Did you mean "${guess}"? Run \`codexgw model set ${guess}\`.`
        : 'See what it serves with `codexgw model list`, then `codexgw model set <id>`.',
    },
  );
}
