#!/usr/bin/env node
// Tiny launcher: Node's module compile cache (Node 22.1+) makes every later start faster.
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
