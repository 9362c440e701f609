/** The quick edits, `use` and `model`: the `switch` bundle (see registry.ts for why). */
import { lazyCommand } from './lazy-command.ts';

export const COMMANDS = {
  'model/list': lazyCommand(() => import('./model/list.ts')),
  'model/set': lazyCommand(() => import('./model/set.ts')),
  use: lazyCommand(() => import('./use.ts')),
} as const;

export type SwitchCommandName = keyof typeof COMMANDS;
