// The `--store` option of the commands that take a key (init, provider add): its own module with
// no imports, so declaring the option loads none of the keychain code.

export const KEY_DESTINATIONS = ['keychain', 'file', 'rc'] as const;
export type KeyDestinationChoice = (typeof KEY_DESTINATIONS)[number];

export const STORE_OPTION = {
  kind: 'value',
  value: 'store',
  choices: KEY_DESTINATIONS,
  description:
    'where the key goes: keychain (the default where one is usable), file ($CODEX_HOME, 0600) or rc (an export in your shell rc file)',
} as const;
