/** The quick edits, `use` and `model`: the `switch` bundle (see registry.ts for why). */
import { run as modelList } from './model/list.ts';
import { run as modelSet } from './model/set.ts';
import { run as use } from './use.ts';

export const COMMANDS = {
  'model/list': modelList,
  'model/set': modelSet,
  use: use,
} as const;

export type SwitchCommandName = keyof typeof COMMANDS;
