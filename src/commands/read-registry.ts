/** The read-only commands: the `read` bundle (see registry.ts for why there are three). */
import { lazyCommand } from './lazy-command.ts';

export const COMMANDS = {
  'config/get': lazyCommand(() => import('./config/get.ts')),
  'config/show': lazyCommand(() => import('./config/show.ts')),
  validate: lazyCommand(() => import('./validate.ts')),
} as const;

export type ReadCommandName = keyof typeof COMMANDS;
