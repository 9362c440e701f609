// Project trust: the `[projects."<dir>"] trust_level` entry of the user config, which decides
// whether Codex loads a project's .codex/config.toml.
import type { TomlDocument } from '../config/document.ts';
import { isTable } from '../config/overrides.ts';

/** Set (or, with undefined, remove) the trust entry of `dir` in a user config. */
export function trustEdit(
  dir: string,
  level: 'trusted' | 'untrusted' | undefined,
): (doc: TomlDocument) => void {
  return (doc) => {
    const p = ['projects', dir];
    if (level === undefined) {
      if (doc.has(p)) doc.delete(p);
      const projects = doc.get(['projects']);
      if (isTable(projects) && Object.keys(projects).length === 0) doc.delete(['projects']);
      return;
    }
    if (doc.get([...p, 'trust_level']) !== level) doc.set([...p, 'trust_level'], level);
  };
}
