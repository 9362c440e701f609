#!/usr/bin/env node
// Does the newest Codex still follow the newest rules codexgw ships?
//
//   npm run drift                      # installs @openai/codex@latest into a temp dir
//   npm run drift -- --codex <path>    # or checks a codex you have
//
// Calibrates that binary (scripts/calibrate.mjs) and prints, readably, every key, field, type,
// enum value, feature, provider id, project-file key and catalog model that differs from the
// newest shipped rules (src/codex/rules/<version>.json). Exit 1 only when the binary is a release
// codexgw ships rules for and they disagree with it (the shipped data is wrong); a newer release
// that differs is news, not a failure: supporting it is `npm run calibrate -- <its codex>`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { calibrate, nativeCodex, RULES_DIR } from './calibrate.mjs';

function shipped() {
  const versions = readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort((a, b) => {
      const [x, y] = [a, b].map((v) => v.split('.').map(Number));
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
    });
  return versions.map((v) => JSON.parse(readFileSync(path.join(RULES_DIR, `${v}.json`), 'utf8')));
}

const show = (rule) => {
  if (rule === undefined) return '(absent)';
  switch (rule.type) {
    case 'enum':
      return `one of ${rule.values.join(' | ')}`;
    case 'integer':
      return `${rule.kind}${rule.min !== undefined ? ` >= ${rule.min}` : ''}`;
    case 'array':
      return `array of ${show(rule.element)}`;
    case 'table':
      return `table (${rule.closed === 'always' ? 'closed' : 'closed under --strict-config'}${rule.fields ? `, ${Object.keys(rule.fields).length} fields` : ''})`;
    case 'map':
      return `map of ${show(rule.values)}`;
    default:
      return rule.type;
  }
};

/** Lines describing how rule `b` (new) differs from `a` (shipped), under dotted `at`. */
function diffRule(at, a, b, out) {
  if (a === undefined || b === undefined) {
    out.push(`${a === undefined ? '+' : '-'} ${at}: ${show(a ?? b)}`);
    return;
  }
  if (a.type !== b.type) {
    out.push(`~ ${at}: ${show(a)} → ${show(b)}`);
    return;
  }
  if (a.type === 'enum') {
    const added = b.values.filter((v) => !a.values.includes(v));
    const removed = a.values.filter((v) => !b.values.includes(v));
    if (added.length || removed.length) {
      out.push(`~ ${at}: values ${[...added.map((v) => `+${v}`), ...removed.map((v) => `-${v}`)].join(' ')}`);
    }
    return;
  }
  if (a.type === 'integer' && (a.kind !== b.kind || a.min !== b.min || a.max !== b.max)) {
    out.push(`~ ${at}: ${show(a)} → ${show(b)}`);
    return;
  }
  if (a.type === 'array') return diffRule(`${at}[]`, a.element, b.element, out);
  if (a.type === 'map') {
    diffRule(`${at}.*`, a.values, b.values, out);
    diffFields(at, a.fields ?? {}, b.fields ?? {}, out);
    return;
  }
  if (a.type === 'table') {
    if (a.closed !== b.closed) out.push(`~ ${at}: ${show(a)} → ${show(b)}`);
    diffFields(at, a.fields ?? {}, b.fields ?? {}, out);
  }
}

function diffFields(at, a, b, out) {
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    diffRule(at ? `${at}.${k}` : k, a[k], b[k], out);
  }
}

function diffList(title, a, b, out) {
  const added = b.filter((x) => !a.includes(x));
  const removed = a.filter((x) => !b.includes(x));
  for (const x of added) out.push(`+ ${title} ${x}`);
  for (const x of removed) out.push(`- ${title} ${x}`);
}

export function diffRules(a, b) {
  const out = [];
  diffFields('', a.keys, b.keys, out);
  diffList('provider field', a.providerFields, b.providerFields, out);
  diffList('feature', Object.keys(a.features), Object.keys(b.features), out);
  for (const [name, f] of Object.entries(b.features)) {
    const old = a.features[name];
    if (old && (old.default !== f.default || old.stage !== f.stage)) {
      out.push(`~ feature ${name}: ${old.stage}/${old.default} → ${f.stage}/${f.default}`);
    }
  }
  diffList('feature alias', a.featureAliases, b.featureAliases, out);
  for (const k of ['reserved', 'restricted', 'restrictedFields', 'builtin', 'removed']) {
    diffList(`provider id (${k})`, a.providers[k], b.providers[k], out);
  }
  diffList('project-file stripped key', a.projectStripped, b.projectStripped, out);
  diffList(
    'catalog model',
    a.models.map((m) => m.slug),
    b.models.map((m) => m.slug),
    out,
  );
  return out;
}

function installLatest() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'codexgw-drift-'));
  console.log(`installing @openai/codex@latest into ${dir} …`);
  execFileSync(
    'npm',
    ['install', '--prefix', dir, '--no-audit', '--no-fund', '--silent', '@openai/codex@latest'],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  return { dir, codex: path.join(dir, 'node_modules', '@openai', 'codex', 'bin', 'codex.js') };
}

async function main(argv) {
  const i = argv.indexOf('--codex');
  const given = i >= 0 ? argv[i + 1] : undefined;
  const installed = given ? undefined : installLatest();
  try {
    const codex = nativeCodex(path.resolve(given ?? installed.codex));
    const fresh = await calibrate(codex);
    const rules = shipped();
    const same = rules.find((r) => r.version === fresh.version);
    const newest = rules[rules.length - 1];
    const against = same ?? newest;
    const lines = diffRules(against, fresh);
    console.log(`Codex ${fresh.version} compared with codexgw's rules for ${against.version}:`);
    console.log(lines.length ? lines.map((l) => `  ${l}`).join('\n') : '  no difference');
    if (same && lines.length) {
      console.error(
        `The shipped rules for ${same.version} disagree with its binary: run npm run calibrate -- ${codex}`,
      );
      return 1;
    }
    if (!same && lines.length) {
      console.log(
        `To support ${fresh.version}: npm run calibrate -- ${codex}, review the diff, add it to the tests.`,
      );
    }
    return 0;
  } finally {
    if (installed) rmSync(installed.dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err.stack ?? String(err));
      process.exit(1);
    },
  );
}
