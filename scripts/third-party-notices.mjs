// The licence notices of the third-party code in dist/: every package esbuild put into a bundle
// (read from the builds' metafiles), with its licence and the text of its licence file. The
// package ships no dependencies, so this file is where their notices travel.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The package directories (node_modules/<name> or node_modules/@scope/<name>) of bundled inputs. */
export function bundledPackageDirs(metafiles, root) {
  const dirs = new Set();
  for (const meta of metafiles) {
    for (const input of Object.keys(meta.inputs)) {
      const m = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
      if (m) dirs.add(path.resolve(root, m[1]));
    }
  }
  return [...dirs].sort();
}

const LICENCE_FILE = /^(licen[cs]e|copying|notice)(\.|-|$)/i;

/** One package's notice: name, version, licence and its licence files' text. */
export function packageNotice(dir) {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const licence = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN');
  const texts = readdirSync(dir)
    .filter((f) => LICENCE_FILE.test(f))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8').trim());
  if (texts.length === 0) {
    throw new Error(`${pkg.name}@${pkg.version} (${dir}) has no licence file: add its notice by hand`);
  }
  return { name: pkg.name, version: pkg.version, licence, text: texts.join('\n\n') };
}

/** The notices file for the packages in `dirs` (several versions of one package are each listed). */
export function noticesMarkdown(dirs) {
  const notices = dirs.filter((d) => existsSync(path.join(d, 'package.json'))).map(packageNotice);
  const seen = new Set();
  const unique = notices.filter((n) => {
    const key = `${n.name}@${n.version}`;
    return !seen.has(key) && seen.add(key);
  });
  unique.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [
    '# Third-party notices',
    '',
    "codexgw's files in dist/ include the following packages, under their own licences.",
    '',
    ...unique.flatMap((n) => [`## ${n.name} ${n.version} (${n.licence})`, '', '```text', n.text, '```', '']),
  ].join('\n');
}
