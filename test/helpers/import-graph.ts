/**
 * The import graph of src/ and a check of it against layer rules (test/unit/layers-rule.test.ts).
 * Every kind of import counts: static, `import type`, `export … from`, dynamic `import()` and
 * `require()`, so a lazy or type-only import cannot hide a dependency.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** The importing file, relative to the root ("src/io/http.ts"). */
  from: string;
  /** The imported file relative to the root, or a bare specifier ("node:fs", "execa"). */
  to: string;
  typeOnly: boolean;
  dynamic: boolean;
}

export interface ModuleInfo {
  file: string;
  imports: ImportEdge[];
  /** Exports a `run` function: a command module (under src/commands). */
  exportsRun: boolean;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** The file a relative specifier names: as written, .js written for .ts, or without extension. */
function resolve(root: string, fromFile: string, spec: string): string | undefined {
  const base = path.resolve(root, path.dirname(fromFile), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')];
  // A .json module (Codex's calibrated rules) is data: an edge to it, with no imports of its own.
  const found = candidates.find((c) => (c.endsWith('.ts') || c.endsWith('.json')) && existsSync(c));
  return found && toPosix(path.relative(root, found));
}

/** Parse one module: what it imports and whether it exports `run`. `file` is relative to root. */
export function parseModule(root: string, file: string): ModuleInfo {
  const text = readFileSync(path.join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports: ImportEdge[] = [];
  const add = (spec: string, typeOnly: boolean, dynamic: boolean) => {
    const to = spec.startsWith('.') ? (resolve(root, file, spec) ?? `unresolved:${spec}`) : spec;
    imports.push({ from: file, to, typeOnly, dynamic });
  };
  let exportsRun = false;
  const isExported = (node: ts.Node) =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly, false);
    } else if (ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, node.isTypeOnly, false);
      } else if (node.exportClause && ts.isNamedExports(node.exportClause)) {
        if (node.exportClause.elements.some((e) => e.name.text === 'run')) exportsRun = true;
      }
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const [arg] = node.arguments;
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if ((isImport || isRequire) && arg && ts.isStringLiteralLike(arg)) add(arg.text, false, isImport);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const lit = node.argument.literal;
      if (ts.isStringLiteral(lit)) add(lit.text, true, false); // import('./x.ts').T in a type
    }
    if (ts.isFunctionDeclaration(node) && node.name?.text === 'run' && isExported(node)) exportsRun = true;
    if (ts.isVariableStatement(node) && isExported(node)) {
      for (const d of node.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === 'run') exportsRun = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { file, imports, exportsRun };
}

/** Every .ts module under `dir` (relative to root), sorted. */
export function modulesUnder(root: string, dir = 'src'): ModuleInfo[] {
  const files = readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => toPosix(path.join(dir, f)))
    .sort();
  return files.map((f) => parseModule(root, f));
}

export interface Layer {
  /** Folders (ending in "/") or files that make up the layer. */
  paths: string[];
  /** The layers it may import besides itself. */
  may: string[];
  /** Bare specifiers it must not import (I/O modules for the pure layers). */
  forbidden?: string[];
}

export interface LayerRules {
  layers: Record<string, Layer>;
  /** The folder of command modules (each exports `run`): one never imports another. */
  commandsDir: string;
  /** Files in commandsDir that may load command modules (the registries). */
  isRegistry: (file: string) => boolean;
}

export interface Violation {
  /** "from -> to", the key of an allowlist entry. */
  edge: string;
  why: string;
}

/** The layer a file belongs to: the longest matching path. */
export function layerOf(rules: LayerRules, file: string): string | undefined {
  let best: { name: string; len: number } | undefined;
  for (const [name, layer] of Object.entries(rules.layers)) {
    for (const p of layer.paths) {
      const hit = p.endsWith('/') ? file.startsWith(p) : file === p;
      if (hit && (!best || p.length > best.len)) best = { name, len: p.length };
    }
  }
  return best?.name;
}

/** The command modules: the files in the commands folder that export `run`. */
export function commandModules(modules: ModuleInfo[], rules: LayerRules): string[] {
  return modules.filter((m) => m.file.startsWith(rules.commandsDir) && m.exportsRun).map((m) => m.file);
}

/** Every import that breaks a rule, once per edge, sorted. */
export function checkLayers(modules: ModuleInfo[], rules: LayerRules): Violation[] {
  const commands = new Set(commandModules(modules, rules));
  const out = new Map<string, string>();
  const flag = (from: string, to: string, why: string) => {
    const edge = `${from} -> ${to}`;
    if (!out.has(edge)) out.set(edge, why);
  };
  for (const m of modules) {
    const layer = layerOf(rules, m.file);
    if (layer === undefined) {
      flag(m.file, '(no layer)', `${m.file} is in no layer: add its folder to the layer table`);
      continue;
    }
    const rule = rules.layers[layer]!;
    for (const imp of m.imports) {
      if (imp.to.startsWith('unresolved:')) {
        flag(m.file, imp.to, `cannot resolve ${imp.to.slice('unresolved:'.length)}`);
        continue;
      }
      if (!imp.to.startsWith('src/')) {
        if (rule.forbidden?.includes(imp.to))
          flag(m.file, imp.to, `${layer} does no I/O: it may not import ${imp.to}`);
        continue;
      }
      const target = layerOf(rules, imp.to);
      if (target === undefined) continue; // reported as "in no layer" on its own
      if (target !== layer && !rule.may.includes(target)) {
        flag(
          m.file,
          imp.to,
          `${layer} may not import ${target} (allowed: ${rule.may.join(', ') || 'nothing'})`,
        );
        continue;
      }
      if (commands.has(imp.to) && imp.to !== m.file) {
        if (commands.has(m.file)) flag(m.file, imp.to, "a command imports another command's module");
        else if (m.file.startsWith(rules.commandsDir) && !rules.isRegistry(m.file)) {
          flag(m.file, imp.to, 'only a registry loads a command module');
        }
      }
    }
  }
  return [...out].map(([edge, why]) => ({ edge, why })).sort((a, b) => a.edge.localeCompare(b.edge));
}
