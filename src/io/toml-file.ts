import { TomlDocument } from '../config/document.ts';
import { type FsLayer, realFs } from './fs-layer.ts';
import { type CommitOptions, commitWrite, type PlannedWrite, type WriteResult } from './safe-write.ts';
import { readTextFile } from './text-file.ts';

/** A planned write of a TOML file, with the edited document (for warnings and output). */
export interface PlannedTomlWrite extends PlannedWrite {
  doc: TomlDocument;
}

/**
 * The one rebase policy of every TOML edit: when the file changed between the plan and the commit
 * (another codexgw run got the lock first, or an editor saved it), the edit runs again on the newer
 * content, under the lock. Commands state outcomes ("model_provider is b"), so the edit run again
 * is the serialised result of both changes; the checks inside it (an id that now exists) run again
 * too, and the new text is proven by a re-parse like the first.
 */
export function rerunEdit(
  file: string,
  edit: (doc: TomlDocument) => void,
  newFile = '',
): (current: string | undefined) => string {
  return (current) => {
    const doc = TomlDocument.parse(current ?? newFile, file);
    edit(doc);
    return doc.toString();
  };
}

/**
 * Read a TOML file (a missing file is an empty document, or `newFile`), let `edit` change the
 * document, and plan the write: for commands that show the diff or ask before writing. Only
 * invalid TOML is refused (FileError with file:line:col); a file Codex would reject for other
 * reasons is edited all the same, the caller warns. A change of the file before the commit is
 * met by rerunEdit.
 */
export function planTomlEdit(
  file: string,
  edit: (doc: TomlDocument) => void,
  opts: {
    mode?: number;
    fs?: FsLayer;
    /** The text a file that does not exist yet starts from (a header comment). */
    newFile?: string;
  } = {},
): PlannedTomlWrite {
  const before = readTextFile(file, opts.fs ?? realFs);
  const start = before ?? opts.newFile ?? '';
  const doc = TomlDocument.parse(start, file);
  edit(doc);
  const after = doc.toString();
  return {
    file,
    before,
    // An edit that adds nothing to a new file creates no file (not one holding only the header).
    after: before === undefined && after === start ? '' : after,
    rebase: rerunEdit(file, edit, opts.newFile),
    mode: opts.mode,
    doc,
  };
}

/**
 * Edit a TOML file in one step, with no question in between (a read-modify-write, like a counter
 * increment, that never loses a concurrent update).
 */
export async function editTomlFile(
  file: string,
  edit: (doc: TomlDocument) => void,
  opts: CommitOptions & { mode?: number } = {},
): Promise<WriteResult & { doc: TomlDocument }> {
  let doc: TomlDocument | undefined;
  const plan = planTomlEdit(
    file,
    (d) => {
      doc = d;
      edit(d);
    },
    opts,
  );
  const result = await commitWrite(plan, opts);
  return { ...result, doc: doc! };
}
