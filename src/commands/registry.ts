/**
 * The run function of every command that writes or talks to the network. The build makes two
 * bundles of the CLI (scripts/build.mjs): `main` holds this registry, `read` holds the smaller
 * read-only one (read-registry.ts), so `validate` in CI does not load the editor, the wizard or
 * doctor. The launcher picks the bundle by the command (src/command-word.ts). Heavy third-party
 * dependencies (prompts, execa) stay behind dynamic imports inside the commands.
 */
import { run as doctor } from './doctor.ts';
import { run as envList } from './env/list.ts';
import { run as envPrint } from './env/print.ts';
import { run as envRemove } from './env/remove.ts';
import { run as envSet } from './env/set.ts';
import { run as envUnset } from './env/unset.ts';
import { run as init } from './init.ts';
import { run as modelList } from './model/list.ts';
import { run as modelSet } from './model/set.ts';
import { run as providerAdd } from './provider/add.ts';
import { run as providerList } from './provider/list.ts';
import { run as providerRemove } from './provider/remove.ts';
import { run as providerShow } from './provider/show.ts';
import { run as restore } from './restore.ts';
import { run as truefoundryRoutingRule } from './truefoundry-routing-rule.ts';
import { run as use } from './use.ts';

export const COMMANDS = {
  doctor: doctor,
  'env/list': envList,
  'env/print': envPrint,
  'env/remove': envRemove,
  'env/set': envSet,
  'env/unset': envUnset,
  init: init,
  'model/list': modelList,
  'model/set': modelSet,
  'provider/add': providerAdd,
  'provider/list': providerList,
  'provider/remove': providerRemove,
  'provider/show': providerShow,
  restore: restore,
  'truefoundry-routing-rule': truefoundryRoutingRule,
  use: use,
} as const;

export type CommandName = keyof typeof COMMANDS;
