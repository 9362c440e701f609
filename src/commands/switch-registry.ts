/** The quick edits, `use` and `model`: the `switch` bundle (see registry.ts for why). */
export const COMMANDS = {
  'model/list': () => import('./model/list.ts'),
  'model/set': () => import('./model/set.ts'),
  use: () => import('./use.ts'),
} as const;

export type SwitchCommandName = keyof typeof COMMANDS;
