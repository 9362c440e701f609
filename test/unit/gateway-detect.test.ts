import { describe, expect, it } from 'vitest';
import { detectGateway } from '../../src/gateways/index.ts';

describe('detectGateway: the preset a provider was made from, from its fields', () => {
  it('a self-hosted Portkey with a second account key stays Portkey', () => {
    expect(
      detectGateway({
        name: 'Portkey (dev)',
        base_url: 'https://llm.corp.example/v1',
        env_key: 'PORTKEY_API_KEY_DEV',
      }),
    ).toEqual({ gateway: 'portkey', by: 'env_key' });
  });

  it('falls back to the display name, as a word', () => {
    expect(detectGateway({ name: 'Portkey (self-hosted)', base_url: 'https://llm.corp.example/v1' })).toEqual(
      {
        gateway: 'portkey',
        by: 'name',
      },
    );
    expect(detectGateway({ name: 'Sportkeyboard', base_url: 'https://llm.corp.example/v1' })).toBeUndefined();
    expect(
      detectGateway({ name: 'Mine', base_url: 'https://llm.corp.example/v1', env_key: 'PORTKEY_API_KEYS' }),
    ).toBeUndefined();
  });
});
