/** The read-only commands: the `read` bundle (see registry.ts for why there are two). */
import { run as configGet } from './config/get.ts';
import { run as configShow } from './config/show.ts';
import { run as validate } from './validate.ts';

export const READ_COMMANDS = {
  'config/get': configGet,
  'config/show': configShow,
  validate,
} as const;

export type ReadCommandName = keyof typeof READ_COMMANDS;
