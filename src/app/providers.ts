// Provider use-cases several commands share: lookups, their errors, their JSON shape.
import type { ProviderInfo } from '../config/providers.ts';
import { didYouMean } from '../config/schema.ts';
import { type Context, println } from '../context.ts';
import { UsageError, UserError } from '../errors.ts';
import { checkModelName, isGatewayId } from '../gateways/index.ts';

/** "Unknown provider" with the known ids and a did-you-mean. */
export function unknownProvider(id: string, known: string[]): UserError {
  const guess = didYouMean(id, known);
  return new UserError(`Unknown provider "${id}". Known providers: ${known.join(', ')}.`, {
    hint: guess ? `Did you mean "${guess}"?` : 'Add it with `codexgw provider add <gateway> --id <id>`.',
  });
}

/** A provider as `provider list --json` and `provider show --json` print it. */
export function providerJson(p: ProviderInfo) {
  return {
    id: p.id,
    gateway: p.gateway,
    baseUrl: p.baseUrl,
    envKey: p.envKey,
    envKeySet: p.envKeySet,
    active: p.active,
    file: p.origin?.file ?? null,
    line: p.origin?.line ?? null,
  };
}

/**
 * Check a model name against the naming rules of the gateway `provider` points at: an error is a
 * usage error (with the gateway's fix); a warning — such as a `/` in the name, which makes Codex
 * fall back to generic model metadata — is printed with the fix and the command goes on.
 */
export function checkModelForProvider(model: string, provider: ProviderInfo | undefined, ctx: Context): void {
  if (model.trim() === '')
    throw new UsageError('The model name is empty.', { hint: 'Pass a model, e.g. gpt-5.' });
  const gateway = provider?.gateway && isGatewayId(provider.gateway) ? provider.gateway : 'custom';
  const check = checkModelName(gateway, model, provider?.table);
  if (check.level === 'ok') return;
  if (check.level === 'error') throw new UsageError(check.message, { hint: check.hint });
  println(ctx.stderr, `${ctx.errColor.warn('!')} ${check.message}`);
  println(ctx.stderr, `  ${ctx.errColor.info('fix:')} ${check.hint}`);
}
