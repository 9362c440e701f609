/**
 * Every command's run function, in one module: the CLI loads it with one dynamic import when a
 * command runs (one file to read instead of one per shared piece), and never for --help or --version.
 * The heavy dependencies (prompts, execa, HTTP) stay behind dynamic imports inside the commands.
 */
import { run as configGet } from './config/get.ts';
import { run as configShow } from './config/show.ts';
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
import { run as validate } from './validate.ts';

export const COMMANDS = {
  'config/get': configGet,
  'config/show': configShow,
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
  validate: validate,
} as const;

export type CommandName = keyof typeof COMMANDS;
