/**
 * The import rules of DESIGN.md §2 as a test: layers import only downwards, checks do no I/O,
 * commands never import another command's module. Today's known breaches are listed in KNOWN,
 * each with what should happen to it; the test fails on any other breach and on an entry of
 * KNOWN that no longer happens (delete it once the import is gone).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLayers, commandModules, type LayerRules, modulesUnder } from '../helpers/import-graph.ts';
import { REPO } from '../helpers/run-cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const BELOW_COMMANDS = ['checks', 'shell', 'gateways', 'config', 'toml', 'io', 'base'];
/** What a pure layer may not import: the file system, processes, the network, the OS. */
const IO_MODULES = [
  'node:fs',
  'node:fs/promises',
  'node:child_process',
  'node:net',
  'node:http',
  'node:https',
  'node:os',
  'execa',
  '@inquirer/prompts',
];

/**
 * Today's folders mapped onto the layers of DESIGN.md §2 (bottom first), with the folders it
 * plans (toml/, codex/, keys/, app/, doctor/, main.ts) already placed. A layer may import
 * itself and the layers in `may`; a src/ file in no layer fails the test.
 */
const RULES: LayerRules = {
  layers: {
    base: { paths: ['src/errors.ts'], may: [] },
    io: { paths: ['src/io/', 'src/context.ts'], may: ['base'] },
    toml: { paths: ['src/toml/'], may: ['base'] },
    // config/ is today's toml + codex: the TOML engine and Codex's rules.
    config: { paths: ['src/config/', 'src/codex/'], may: ['toml', 'io', 'base'] },
    gateways: { paths: ['src/gateways/'], may: ['io', 'base'] },
    shell: { paths: ['src/shell/', 'src/keys/'], may: ['config', 'toml', 'io', 'base'] },
    checks: { paths: ['src/checks/'], may: ['config', 'toml', 'gateways', 'base'], forbidden: IO_MODULES },
    // The use-cases commands share, and the spec every command declares itself with.
    app: { paths: ['src/app/', 'src/command-spec.ts'], may: BELOW_COMMANDS },
    doctor: { paths: ['src/doctor/'], may: ['app', ...BELOW_COMMANDS] },
    init: { paths: ['src/init/'], may: ['app', ...BELOW_COMMANDS] },
    commands: { paths: ['src/commands/'], may: ['init', 'doctor', 'app', ...BELOW_COMMANDS] },
    top: {
      paths: ['src/main.ts', 'src/cli.ts'],
      may: ['commands', 'init', 'doctor', 'app', ...BELOW_COMMANDS],
    },
  },
  commandsDir: 'src/commands/',
  isRegistry: (file) => /(^|[-/])(registry|index)\.ts$/.test(file),
};

/** Known breaches, to burn down: "from -> to" → what to do about it. */
const KNOWN: Record<string, string> = {
  'src/io/commit.ts -> src/config/paths.ts': 'io needs CODEX_HOME: pass the resolved path in from config',
  'src/io/http.ts -> src/gateways/models-reply.ts':
    'the gateway protocol is in io/http.ts: move it to gateways/',
  'src/io/text-file.ts -> src/config/source.ts':
    'readUtf8File lives in config/source.ts: move it down to io/',
  'src/io/toml-file.ts -> src/config/document.ts': 'TOML-file helpers belong above io (config/ or app/)',
  'src/config/provider-edit.ts -> src/gateways/types.ts':
    'type only: ProviderTable belongs with the config shape',
  'src/config/providers.ts -> src/gateways/index.ts':
    'gateway detection from config: move to app/ (or gateways/)',
  'src/checks/doctor/env.ts -> src/io/redact.ts':
    'masking is pure: give checks a pure mask, or mask in the renderer',
  'src/checks/doctor/index.ts -> src/io/redact.ts':
    'masking is pure: give checks a pure mask, or mask in the renderer',
  'src/checks/doctor/env.ts -> src/shell/key.ts':
    'activateHint is pure text: move it below checks (or pass it in)',
  'src/checks/doctor/online.ts -> src/io/http.ts':
    'type only: the probe result types belong with the gateway protocol',
  'src/checks/doctor/types.ts -> src/io/http.ts':
    'type only: the probe result types belong with the gateway protocol',
  'src/checks/doctor/types.ts -> src/shell/quote.ts': 'type only: the Shell name type belongs below checks',
};

describe('the import rules of src/', () => {
  const modules = modulesUnder(REPO);
  const violations = checkLayers(modules, RULES);

  it('knows every command module: the ones the registry loads', () => {
    const registry = modules.find((m) => m.file === 'src/commands/index.ts');
    const loaded = registry?.imports.filter((i) => i.dynamic).map((i) => i.to);
    expect(commandModules(modules, RULES).sort()).toEqual(loaded?.sort());
  });

  it('has no breach but the known ones', () => {
    const unknown = violations.filter((v) => !(v.edge in KNOWN)).map((v) => `${v.edge}: ${v.why}`);
    expect(unknown, 'new imports that break the layer rules (test/unit/layers-rule.test.ts)').toEqual([]);
  });

  it('lists no known breach that is gone (delete those entries from KNOWN)', () => {
    const seen = new Set(violations.map((v) => v.edge));
    expect(Object.keys(KNOWN).filter((edge) => !seen.has(edge))).toEqual([]);
  });
});

describe('the layer checker', () => {
  /** A src/ tree in a temp dir: path → source text. */
  function tree(files: Record<string, string>): string {
    const root = makeTempDir();
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    return root;
  }
  const check = (files: Record<string, string>) => checkLayers(modulesUnder(tree(files)), RULES);
  const RUN = 'export async function run() { return 0; }\n';

  it('passes a tree that imports only downwards', () => {
    expect(
      check({
        'src/errors.ts': 'export class E {}\n',
        'src/io/fs.ts': "import { E } from '../errors.ts';\nexport const f = E;\n",
        'src/config/paths.ts': "import { f } from '../io/fs.ts';\nexport const p = f;\n",
        'src/checks/rules.ts':
          "import { p } from '../config/paths.ts';\nimport path from 'node:path';\nexport const r = [p, path];\n",
        'src/commands/shared.ts': "import { r } from '../checks/rules.ts';\nexport const s = r;\n",
        'src/commands/use.ts': `import { s } from './shared.ts';\nvoid s;\n${RUN}`,
        'src/commands/model/set.ts': RUN,
        'src/commands/registry.ts':
          "export const COMMANDS = { use: () => import('./use.ts'), set: () => import('./model/set.ts') };\n",
        'src/cli.ts': "import { COMMANDS } from './commands/registry.ts';\nvoid COMMANDS;\n",
      }),
    ).toEqual([]);
  });

  it('fails on a planted upward import, a type-only and a lazy one alike', () => {
    expect(
      check({
        'src/io/http.ts': "import { isSecret } from '../gateways/common.ts';\nvoid isSecret;\n",
        'src/io/types.ts': "import type { Plan } from '../init/plan.ts';\nexport type P = Plan;\n",
        'src/io/lazy.ts': "export const load = () => import('../commands/use.ts');\n",
        'src/gateways/common.ts': 'export const isSecret = 1;\n',
        'src/init/plan.ts': 'export type Plan = 1;\n',
        'src/commands/use.ts': RUN,
      }),
    ).toEqual([
      { edge: 'src/io/http.ts -> src/gateways/common.ts', why: 'io may not import gateways (allowed: base)' },
      { edge: 'src/io/lazy.ts -> src/commands/use.ts', why: 'io may not import commands (allowed: base)' },
      { edge: 'src/io/types.ts -> src/init/plan.ts', why: 'io may not import init (allowed: base)' },
    ]);
  });

  it("fails when a command imports another command's module, or a non-registry loads one", () => {
    expect(
      check({
        'src/commands/use.ts': `import { run as set } from './model/set.ts';\nvoid set;\n${RUN}`,
        'src/commands/model/set.ts': RUN,
        'src/commands/shared.ts': "export const load = () => import('./use.ts');\n",
      }),
    ).toEqual([
      {
        edge: 'src/commands/shared.ts -> src/commands/use.ts',
        why: 'only a registry loads a command module',
      },
      {
        edge: 'src/commands/use.ts -> src/commands/model/set.ts',
        why: "a command imports another command's module",
      },
    ]);
  });

  it('fails when checks do I/O, when a file is in no layer, and on an import it cannot resolve', () => {
    expect(
      check({
        'src/checks/gather.ts': "import { readFileSync } from 'node:fs';\nexport const g = readFileSync;\n",
        'src/newfolder/x.ts': 'export const x = 1;\n',
        'src/config/y.ts': "export { z } from './missing.ts';\n",
      }),
    ).toEqual([
      { edge: 'src/checks/gather.ts -> node:fs', why: 'checks does no I/O: it may not import node:fs' },
      { edge: 'src/config/y.ts -> unresolved:./missing.ts', why: 'cannot resolve ./missing.ts' },
      {
        edge: 'src/newfolder/x.ts -> (no layer)',
        why: 'src/newfolder/x.ts is in no layer: add its folder to the layer table',
      },
    ]);
  });
});
