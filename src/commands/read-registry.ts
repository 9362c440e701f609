/** The read-only commands: the `read` bundle (see registry.ts for why there are three). */
import { run as configGet } from './config/get.ts';
import { run as configShow } from './config/show.ts';
import { run as validate } from './validate.ts';

export const COMMANDS = {
  'config/get': configGet,
  'config/show': configShow,
  validate,
} as const;

export type ReadCommandName = keyof typeof COMMANDS;
