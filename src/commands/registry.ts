/**
 * The module of every command that is not in a smaller registry: the wizard, doctor,
 * providers, env, restore. The build makes one bundle of the CLI per registry
 * (scripts/build.mjs): `main` holds this one, `read` the read-only commands (read-registry.ts),
 * `switch` the quick edits (switch-registry.ts), so `validate` in CI and `use` do not load the
 * wizard or doctor. The launcher picks the bundle by the command (src/command-word.ts). Heavy
 * third-party dependencies (prompts, execa) stay behind dynamic imports inside the commands.
 * An entry imports its command's module (cli.ts calls it when the command runs), so a command
 * does not run the module code of the others in its bundle (measured: `config show` then skips
 * the schema's, ~0.9 M instructions).
 */
export const COMMANDS = {
  doctor: () => import('./doctor.ts'),
  'env/list': () => import('./env/list.ts'),
  'env/print': () => import('./env/print.ts'),
  'env/remove': () => import('./env/remove.ts'),
  'env/set': () => import('./env/set.ts'),
  'env/unset': () => import('./env/unset.ts'),
  init: () => import('./init.ts'),
  'provider/add': () => import('./provider/add.ts'),
  'provider/list': () => import('./provider/list.ts'),
  'provider/remove': () => import('./provider/remove.ts'),
  'provider/show': () => import('./provider/show.ts'),
  restore: () => import('./restore.ts'),
  'truefoundry-routing-rule': () => import('./truefoundry-routing-rule.ts'),
} as const;

export type CommandName = keyof typeof COMMANDS;
