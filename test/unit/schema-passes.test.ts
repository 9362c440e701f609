import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHIPPED } from '../../src/codex/rules.ts';
import { checkSchema, schemaFor, zodIssues } from '../../src/config/schema.ts';
import { passes, type Shape, toZod, unknownKeysOnly } from '../../src/config/schema-shape.ts';
import { parseToml } from '../../src/config/source.ts';
import { corpus as locatedCorpus } from '../helpers/corpus.ts';

/**
 * passes() answers "is this valid?" from the shapes, without zod; zod stays the oracle. Every
 * verdict here is compared with zod's own safeParse, on real configs and on mutations of them
 * that hit each kind of schema (wrong types, enum values, non-finite floats, dates, unknown keys
 * in strict and open tables, missing required fields, arrays with a bad element).
 */

const CORPUS = locatedCorpus();
const corpus = CORPUS.codexConfigs.flatMap(({ name, file }) => {
  try {
    return [parseToml(readFileSync(file, 'utf8'), name, { bigint: true })];
  } catch {
    return []; // the corpus has deliberately broken files
  }
});

const BASE = {
  model: 'gpt-5',
  model_provider: 'portkey',
  approval_policy: 'on-request',
  sandbox_mode: 'workspace-write',
  model_providers: {
    portkey: {
      name: 'Portkey',
      base_url: 'https://api.portkey.ai/v1',
      env_key: 'PORTKEY_API_KEY',
      wire_api: 'responses',
      http_headers: { 'x-portkey-provider': 'openai' },
      request_max_retries: 4n,
      auth: { command: 'get-token', args: ['--fresh'] },
    },
  },
  mcp_servers: {
    docs: { command: 'npx', args: ['-y', 'docs'], env: { LOG: 'info' }, startup_timeout_sec: 20n },
    remote: { url: 'https://mcp.example.com', tool_timeout_sec: 12.5, enabled: true },
  },
  projects: { '/home/dev/app': { trust_level: 'trusted' } },
  features: { shell_tool: true, web_search: { mode: 'live' } },
  history: { persistence: 'save-all', max_bytes: 1000n },
  shell_environment_policy: { inherit: 'core', set: { A: 'b' } },
  tui: { animations: true, theme: 'dark' },
  agents: { max_threads: 2n, reviewer: { description: 'x' } },
};

const leafValue = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('on-request', 'never', 'granular', 'trusted', 'save-all', 'core', 'auto', 'high', 'live'),
  fc.boolean(),
  fc.bigInt({ min: -5n, max: 5n }),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1.5),
  fc.constant(new Date(0)),
  fc.constant(undefined),
);
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafValue,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

const fieldsOf = (shape: Shape | undefined): string[] => {
  let at = shape;
  while (at?.type === 'optional') at = at.inner;
  if (at?.type === 'record') return fieldsOf(at.value);
  return at?.type === 'object' ? Object.keys(at.fields) : [];
};

/** Key names to mutate with: every release's, and names no table has. */
const KEYS = [
  ...new Set(
    SHIPPED.flatMap((rules) => {
      const schema = schemaFor(rules);
      const top = schema.config.type === 'object' ? schema.config.fields : {};
      return [...schema.topLevelKeys, ...fieldsOf(schema.provider), ...fieldsOf(top.mcp_servers)];
    }),
  ),
  'typo_key',
  // Names of Object.prototype's members: unknown keys, however a field table is looked up.
  'constructor',
  'toString',
];

type Tree = Record<string, unknown>;

/** Every path to a value in `tree`, with the tree's root as []. */
function paths(tree: unknown, prefix: string[] = []): string[][] {
  const out = [prefix];
  if (typeof tree === 'object' && tree !== null && !(tree instanceof Date)) {
    for (const [k, v] of Object.entries(tree)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

/** A copy of `tree` with one change at `at`: set a value, delete the key, or add a key under it. */
function mutate(tree: Tree, at: string[], op: 'set' | 'delete' | 'add', key: string, value: unknown): Tree {
  const copy = structuredClone(tree);
  let node: Record<string, unknown> = copy;
  for (const k of at.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = at[at.length - 1];
  if (last === undefined) {
    if (op === 'add' || op === 'set') copy[key] = value;
    return copy;
  }
  if (op === 'set') node[last] = value;
  else if (op === 'delete') delete node[last];
  else if (typeof node[last] === 'object' && node[last] !== null) (node[last] as Tree)[key] = value;
  return copy;
}

/** A change to apply; `at` picks a path of the tree it is applied to (modulo their number). */
const change = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('set' as const, 'delete' as const, 'add' as const),
  key: fc.constantFrom(...KEYS),
  value: anyValue,
});

describe.each(SHIPPED.map((r) => [r.version, r] as const))(
  'passes() agrees with zod (Codex %s)',
  (_v, rules) => {
    const schema = schemaFor(rules);
    const configShape = schema.config;
    const configSchema = toZod(configShape);
    const providerShape = schema.provider;
    const providerZod = toZod(providerShape);

    it(`on every parseable config of the ${CORPUS.summary}`, () => {
      expect(corpus.length).toBeGreaterThanOrEqual(CORPUS.min.codexConfigs);
      for (const value of corpus) {
        expect(passes(configShape, value)).toBe(configSchema.safeParse(value).success);
      }
    });

    it('on up to three random changes to a valid config (valid and invalid results both occur)', () => {
      const verdicts = { valid: 0, invalid: 0 };
      fc.assert(
        fc.property(fc.array(change, { minLength: 1, maxLength: 3 }), (changes) => {
          let tree: Tree = BASE;
          for (const c of changes) {
            const all = paths(tree);
            tree = mutate(tree, all[c.at % all.length]!, c.op, c.key, c.value);
          }
          const zod = configSchema.safeParse(tree).success;
          verdicts[zod ? 'valid' : 'invalid']++;
          expect(passes(configShape, tree)).toBe(zod);
        }),
        { numRuns: 1500 },
      );
      expect(verdicts.valid).toBeGreaterThan(100);
      expect(verdicts.invalid).toBeGreaterThan(100);
    });

    it('on random values for a strict table (providers)', () => {
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...KEYS), anyValue, { maxKeys: 4 }), (table) => {
          expect(passes(providerShape, table)).toBe(providerZod.safeParse(table).success);
        }),
        { numRuns: 1000 },
      );
    });

    it('on the corpus configs with each top-level value replaced by a random one', () => {
      fc.assert(
        fc.property(fc.constantFrom(...corpus), fc.nat(), anyValue, (config, n, value) => {
          const keys = Object.keys(config);
          if (keys.length === 0) return;
          const changed = { ...config, [keys[n % keys.length]!]: value };
          expect(passes(configShape, changed)).toBe(configSchema.safeParse(changed).success);
        }),
        { numRuns: 500 },
      );
    });
  },
);

describe('checkSchema with the fast path', () => {
  it('still reports zod issues for a value that fails', () => {
    const rules = SHIPPED[0]!;
    const issues = checkSchema(
      { ...BASE, sandbox_mode: 'yolo', model_providers: { p: { nme: 'x' } } },
      rules,
    );
    expect(issues.map((i) => [i.kind, i.path.join('.')])).toEqual(
      expect.arrayContaining([
        ['invalid-value', 'sandbox_mode'],
        ['unknown-key', 'model_providers.p.nme'],
      ]),
    );
    expect(checkSchema(BASE, rules)).toEqual([]);
  });
});

describe.each(SHIPPED.map((r) => [r.version, r] as const))(
  'checkSchema without zod, for a config that fails only by unknown keys (Codex %s)',
  (_v, rules) => {
    const configShape = schemaFor(rules).config;

    it('gives what zod gives, in the same order, on random changes (both paths occur)', () => {
      const seen = { unknownOnly: 0, zod: 0 };
      fc.assert(
        fc.property(fc.array(change, { minLength: 1, maxLength: 3 }), (changes) => {
          let tree: Tree = BASE;
          for (const c of changes) {
            const all = paths(tree);
            tree = mutate(tree, all[c.at % all.length]!, c.op, c.key, c.value);
          }
          const value = tree as Record<string, unknown>;
          if (passes(configShape, value)) return;
          seen[unknownKeysOnly(configShape, value) ? 'unknownOnly' : 'zod']++;
          expect(checkSchema(value, rules)).toEqual(zodIssues(value, rules));
        }),
        { numRuns: 1500 },
      );
      expect(seen.unknownOnly).toBeGreaterThan(100);
      expect(seen.zod).toBeGreaterThan(100);
    });

    it(`gives what zod gives on every parseable config of the ${CORPUS.summary}`, () => {
      const failing = corpus.filter((value) => !passes(configShape, value));
      expect(failing.some((value) => unknownKeysOnly(configShape, value))).toBe(true);
      for (const value of failing) expect(checkSchema(value, rules)).toEqual(zodIssues(value, rules));
    });

    it('names unknown keys in strict tables at any depth, and leaves those in unions to zod', () => {
      const value = { ...BASE, modle: 'x', model_providers: { p: { name: 'P', nme: 'x' } } };
      expect(unknownKeysOnly(configShape, value)).toEqual([
        { path: ['model_providers', 'p'], key: 'nme' },
        { path: [], key: 'modle' },
      ]);
      expect(unknownKeysOnly(configShape, { ...value, sandbox_mode: 'yolo' })).toBeUndefined();
    });
  },
);
