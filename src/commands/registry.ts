/**
 * The run function of every command that is not in a smaller registry: the wizard, doctor,
 * providers, env, restore. The build makes one bundle of the CLI per registry
 * (scripts/build.mjs): `main` holds this one, `read` the read-only commands (read-registry.ts),
 * `switch` the quick edits (switch-registry.ts), so `validate` in CI and `use` do not load the
 * wizard or doctor. The launcher picks the bundle by the command (src/command-word.ts). Heavy
 * third-party dependencies (prompts, execa) stay behind dynamic imports inside the commands.
 */
import { run as doctor } from './doctor.ts';
import { run as envList } from './env/list.ts';
import { run as envPrint } from './env/print.ts';
import { run as envRemove } from './env/remove.ts';
import { run as envSet } from './env/set.ts';
import { run as envUnset } from './env/unset.ts';
import { run as init } from './init.ts';
import { run as providerAdd } from './provider/add.ts';
import { run as providerList } from './provider/list.ts';
import { run as providerRemove } from './provider/remove.ts';
import { run as providerShow } from './provider/show.ts';
import { run as restore } from './restore.ts';
import { run as truefoundryRoutingRule } from './truefoundry-routing-rule.ts';

export const COMMANDS = {
  doctor: doctor,
  'env/list': envList,
  'env/print': envPrint,
  'env/remove': envRemove,
  'env/set': envSet,
  'env/unset': envUnset,
  init: init,
  'provider/add': providerAdd,
  'provider/list': providerList,
  'provider/remove': providerRemove,
  'provider/show': providerShow,
  restore: restore,
  'truefoundry-routing-rule': truefoundryRoutingRule,
} as const;

export type CommandName = keyof typeof COMMANDS;
