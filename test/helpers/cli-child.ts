/**
 * codexgw's main() in a child process with a fault injected into the write path, for the signal
 * tests (bundled on the fly like io-child.ts). argv[2] is `<step>:<signal>`: when the commit
 * reaches that step (CommitHooks.step), the process sends itself the signal. `list:-` prints every
 * step the command passes, one `STEP <name>` line each on stderr, and injects nothing.
 * The rest of argv is codexgw's.
 */
import { main, processContext } from '../../src/cli.ts';
import { extendContext } from '../../src/context.ts';

const [spec = 'list:-', ...args] = process.argv.slice(2);
const colon = spec.lastIndexOf(':');
const at = spec.slice(0, colon);
const signal = spec.slice(colon + 1) as NodeJS.Signals;

const ctx = extendContext(await processContext(), {
  writeHooks: {
    step(name) {
      if (at === 'list') process.stderr.write(`STEP ${name}\n`);
      else if (name === at) process.kill(process.pid, signal);
    },
  },
});
process.exitCode = await main(args, ctx);
