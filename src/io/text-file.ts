import path from 'node:path';
import { readUtf8File } from '../config/source.ts';
import { FileError, fileErrorFrom } from '../errors.ts';
import { errnoCode, type FsLayer, realFs } from './fs-layer.ts';

/**
 * Read a text file as strict UTF-8. A BOM stays in the text (as U+FEFF) so that writing the text
 * back keeps it; undefined when the file does not exist (a dangling symlink counts as missing).
 */
export function readTextFile(file: string, fs: FsLayer = realFs): string | undefined {
  return readUtf8File(file, fs);
}

/**
 * The path the content of `file` really lives at: symlinks followed (also a dangling one, whose
 * target will be created), so writes replace the target and leave the link in place.
 */
export function resolveTarget(file: string, fs: FsLayer = realFs): string {
  let p = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    let isLink: boolean;
    try {
      isLink = fs.lstatSync(p).isSymbolicLink();
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return p;
      throw fileErrorFrom(err, p, 'read');
    }
    if (!isLink) return p;
    p = path.resolve(path.dirname(p), fs.readlinkSync(p));
  }
  throw new FileError(`Could not write ${file}: too many levels of symbolic links.`, {
    file,
    hint: `Check where ${file} points (ls -l); a symlink may point to itself.`,
  });
}
