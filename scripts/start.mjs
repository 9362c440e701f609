// `npm start -- <args>`: run this clone's codexgw, built if dist/ is missing, on a supported Node:
// this one when it is 22 or later, else Node 24 from the npm registry's node-<os>-<arch> package,
// kept in .cache/node24 (as .ci/run and the tests keep theirs). For trying a clone on a machine
// whose Node is older; an installed codexgw needs no such help.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const line = 24;
const pkg = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;

function supportedNode() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const dir = path.join(repo, '.cache', `node${line}`);
  const bin = path.join(dir, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(bin)) {
    process.stderr.write(
      `codexgw needs Node 22 or later; this is ${process.version}: installing ${pkg}@${line} into ${dir}\n`,
    );
    mkdirSync(dir, { recursive: true });
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        dir,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        `${pkg}@${line}`,
      ],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  }
  return bin;
}

if (!existsSync(path.join(repo, 'dist', 'cli.cjs'))) {
  execFileSync(process.execPath, [path.join(repo, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
const run = spawnSync(supportedNode(), [path.join(repo, 'bin', 'codexgw.cjs'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
