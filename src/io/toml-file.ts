import { TomlDocument } from '../config/document.ts';
import type { FsLayer } from './fs-layer.ts';
import { realFs } from './fs-layer.ts';
import type { PlannedWrite } from './safe-write.ts';
import { readTextFile } from './text-file.ts';

/** A planned write of a TOML file, with the edited document (for warnings and output). */
export interface PlannedTomlWrite extends PlannedWrite {
  doc: TomlDocument;
}

/**
 * Read a TOML file (a missing file is an empty document), let `edit` change the document, and
 * plan the write. Only invalid TOML is refused (FileError with file:line:col); a file Codex would
 * reject for other reasons is edited all the same, the caller warns. If the file changes before
 * the commit, the same edits are replayed on the new content unless it changed a value they change.
 */
export function planTomlEdit(
  file: string,
  edit: (doc: TomlDocument) => void,
  opts: { mode?: number; fs?: FsLayer } = {},
): PlannedTomlWrite {
  const before = readTextFile(file, opts.fs ?? realFs);
  const doc = TomlDocument.parse(before ?? '', file);
  edit(doc);
  return {
    file,
    before,
    after: doc.toString(),
    rebase: (current) => doc.rebase(current ?? '').toString(),
    mode: opts.mode,
    doc,
  };
}
