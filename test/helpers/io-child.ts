/**
 * A child process for the io fault tests, bundled on the fly with esbuild (see io-child-build.ts)
 * so that real separate processes (and other users, via setpriv) run codexgw's write layer.
 * argv[2] is a JSON job; the result is one JSON line on stdout.
 */
import { CodexgwError } from '../../src/errors.ts';
import { commitWrite, editTextFile } from '../../src/io/safe-write.ts';
import { readTextFile } from '../../src/io/text-file.ts';
import { editTomlFile, planTomlEdit } from '../../src/io/toml-file.ts';

export type ChildJob =
  /** Increment `counter` and set `writers.writer_<id> = <n>`, `times` times, each a locked read-modify-write. */
  | { op: 'count'; file: string; id: number; times: number; backupDir?: string }
  /** Set `planned.plan_<id> = <n>` `times` times through a plan committed later (replayed on newer content). */
  | { op: 'plan'; file: string; id: number; times: number; backupDir?: string }
  /** Write `text` and die with SIGKILL between the temp file and the rename. */
  | { op: 'crash'; file: string; text: string }
  /** Write `text` (reports the error, if any). */
  | { op: 'write'; file: string; text: string }
  /** Read the file (reports the error, if any). */
  | { op: 'read'; file: string };

async function main(job: ChildJob): Promise<unknown> {
  switch (job.op) {
    case 'count': {
      for (let n = 1; n <= job.times; n++) {
        await editTomlFile(
          job.file,
          (doc) => {
            const current = doc.get(['counter']);
            doc.set(['counter'], (typeof current === 'number' ? current : 0) + 1);
            doc.set(['writers', `writer_${job.id}`], n);
          },
          { backupDir: job.backupDir, lock: { timeoutMs: 60_000 } },
        );
      }
      return { ok: true };
    }
    case 'plan': {
      for (let n = 1; n <= job.times; n++) {
        const plan = planTomlEdit(job.file, (doc) => doc.set(['planned', `plan_${job.id}`], n));
        await commitWrite(plan, { backupDir: job.backupDir, lock: { timeoutMs: 60_000 } });
      }
      return { ok: true };
    }
    case 'crash':
      await editTextFile(job.file, () => job.text, {
        hooks: {
          beforeRename: () => {
            process.kill(process.pid, 'SIGKILL');
          },
        },
      });
      return { ok: true };
    case 'write':
      await editTextFile(job.file, () => job.text);
      return { ok: true };
    case 'read':
      return { ok: true, text: readTextFile(job.file) };
  }
}

main(JSON.parse(process.argv[2]!) as ChildJob).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (err: unknown) => {
    const e = err as CodexgwError;
    process.stdout.write(
      `${JSON.stringify({ ok: false, name: e.name, message: e.message, hint: e instanceof CodexgwError ? e.hint : undefined })}\n`,
    );
  },
);
