// The Node lines codexgw supports, as the binaries the npm registry's node-<os>-<arch> package
// ships, kept in .cache/node<line>/ (the layout .ci/run uses). The full suite's global setup
// (node-lines.setup.ts) installs any that is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const SUPPORTED_NODE_LINES = [22, 24, 26] as const;
/** The line before them (end of life): the bin must refuse it with a one-line message. */
export const OLD_NODE_LINE = 20;

const PACKAGE = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;

/** The node binary of a line, in .cache (it may not be installed yet). */
export function nodeLineBinary(line: number): string {
  return path.join(REPO, '.cache', `node${line}`, 'node_modules', PACKAGE, 'bin', 'node');
}

/** Install a line's binary from the npm registry unless it is there. */
export function installNodeLine(line: number): string {
  const bin = nodeLineBinary(line);
  if (existsSync(bin)) return bin;
  const dir = path.join(REPO, '.cache', `node${line}`);
  mkdirSync(dir, { recursive: true });
  const args = ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund'];
  try {
    execFileSync('npm', [...args, `${PACKAGE}@${line}`], { stdio: 'pipe', timeout: 300_000 });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim() ?? String(err);
    throw new Error(
      `Could not install Node ${line} (npm install ${PACKAGE}@${line} into ${dir}): ${stderr}\n` +
        'The tests run the built CLI on every supported Node line; they need the npm registry once.',
    );
  }
  return bin;
}

/**
 * The Node that runs the built CLI in tests: this process's own when it is a supported line (CI
 * runs the suite on each), else Node 22 from .cache (the bin refuses older lines).
 */
export function cliNode(): string {
  return Number(process.versions.node.split('.')[0]) >= SUPPORTED_NODE_LINES[0]
    ? process.execPath
    : nodeLineBinary(SUPPORTED_NODE_LINES[0]);
}
