/** The read-only commands: the `read` bundle (see registry.ts for why there are three). */
export const COMMANDS = {
  'config/get': () => import('./config/get.ts'),
  'config/show': () => import('./config/show.ts'),
  validate: () => import('./validate.ts'),
} as const;

export type ReadCommandName = keyof typeof COMMANDS;
