/**
 * The run function of every command that is not in a smaller registry: the wizard, doctor,
 * providers, env, restore. The build makes one bundle of the CLI per registry
 * (scripts/build.mjs): `main` holds this one, `read` the read-only commands (read-registry.ts),
 * `switch` the quick edits (switch-registry.ts), so `validate` in CI and `use` do not load the
 * wizard or doctor. The launcher picks the bundle by the command (src/command-word.ts). Heavy
 * third-party dependencies (prompts, execa) stay behind dynamic imports inside the commands.
 * Each command's module is imported only when it runs (lazyCommand; measured: `config show` then
 * skips the schema's module code, ~0.9 M instructions).
 */
import { lazyCommand } from './lazy-command.ts';

export const COMMANDS = {
  doctor: lazyCommand(() => import('./doctor.ts')),
  'env/list': lazyCommand(() => import('./env/list.ts')),
  'env/print': lazyCommand(() => import('./env/print.ts')),
  'env/remove': lazyCommand(() => import('./env/remove.ts')),
  'env/set': lazyCommand(() => import('./env/set.ts')),
  'env/unset': lazyCommand(() => import('./env/unset.ts')),
  init: lazyCommand(() => import('./init.ts')),
  'provider/add': lazyCommand(() => import('./provider/add.ts')),
  'provider/list': lazyCommand(() => import('./provider/list.ts')),
  'provider/remove': lazyCommand(() => import('./provider/remove.ts')),
  'provider/show': lazyCommand(() => import('./provider/show.ts')),
  restore: lazyCommand(() => import('./restore.ts')),
  'truefoundry-routing-rule': lazyCommand(() => import('./truefoundry-routing-rule.ts')),
} as const;

export type CommandName = keyof typeof COMMANDS;
