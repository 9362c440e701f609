import { TomlDocument } from '../config/document.ts';
import { type ConfigSource, parsedSourceOf } from '../config/source.ts';
import { type FsLayer, realFs } from './fs-layer.ts';
import { type CommitOptions, commitWrite, type PlannedWrite, type WriteResult } from './safe-write.ts';
import { readTextFile } from './text-file.ts';

/** A planned write of a TOML file, with the edited document (for warnings and output). */
export interface PlannedTomlWrite extends PlannedWrite {
  doc: TomlDocument;
}

/**
 * Read a TOML file (a missing file is an empty document), let `edit` change the document, and
 * plan the write: for commands that show the diff or ask before writing. Only invalid TOML is
 * refused (FileError with file:line:col); a file Codex would reject for other reasons is edited
 * all the same, the caller warns. If the file changes before the commit, the recorded edits are
 * replayed on the new content, unless it changed a value they change (then a FileError: the user
 * saw and approved a diff that no longer applies).
 */
export function planTomlEdit(
  file: string,
  edit: (doc: TomlDocument) => void,
  opts: {
    mode?: number;
    fs?: FsLayer;
    parsed?: readonly (ConfigSource | undefined)[];
    /** The text a file that does not exist yet starts from (a header comment). */
    newFile?: string;
  } = {},
): PlannedTomlWrite {
  const before = readTextFile(file, opts.fs ?? realFs);
  // The command's loaded layers may hold this very text, parsed: no need to parse it again.
  const known = parsedSourceOf(opts.parsed ?? [], file, before);
  const start = before ?? opts.newFile ?? '';
  const doc = TomlDocument.parse(start, file, before === undefined ? undefined : known?.value);
  edit(doc);
  const after = doc.toString();
  return {
    file,
    before,
    // An edit that adds nothing to a new file creates no file (not one holding only the header).
    after: before === undefined && after === start ? '' : after,
    rebase: (current) => doc.rebase(current ?? start).toString(),
    mode: opts.mode,
    doc,
  };
}

/**
 * Edit a TOML file in one step, with no question in between: if the file changed since it was
 * read, `edit` runs again on the new content under the lock (a read-modify-write, like a
 * counter increment, never loses a concurrent update).
 */
export async function editTomlFile(
  file: string,
  edit: (doc: TomlDocument) => void,
  opts: CommitOptions & { mode?: number } = {},
): Promise<WriteResult & { doc: TomlDocument }> {
  const plan = planTomlEdit(file, edit, opts);
  let doc = plan.doc;
  const result = await commitWrite(
    {
      ...plan,
      rebase: (current) => {
        doc = TomlDocument.parse(current ?? '', file);
        edit(doc);
        return doc.toString();
      },
    },
    opts,
  );
  return { ...result, doc };
}
