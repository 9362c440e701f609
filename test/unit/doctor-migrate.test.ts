import { describe, expect, it } from 'vitest';
import {
  type ProfileFileState,
  planChangesSomething,
  planLegacyMigration,
} from '../../src/checks/doctor/migrate.ts';
import { type ConfigSource, parseToml } from '../../src/config/source.ts';

const HOME = '/h/.codex';
const source = (text: string): ConfigSource => ({
  file: `${HOME}/config.toml`,
  exists: true,
  text,
  hasBom: false,
  value: parseToml(text, 'config.toml', { bigint: true }),
});
const profile = (name: string, text: string | undefined): [string, ProfileFileState] => [
  name,
  {
    file: `${HOME}/${name}.config.toml`,
    exists: text !== undefined,
    value: text === undefined ? {} : parseToml(text, 'p', { bigint: true }),
  },
];

describe('planLegacyMigration', () => {
  it('is undefined without legacy profiles', () => {
    expect(planLegacyMigration(source('model = "o3"\n'), HOME, new Map())).toBeUndefined();
  });

  it('plans the selector removal and every leaf of each table, nested tables included', () => {
    const text =
      'profile = "work"\n\n[profiles.work]\nmodel = "o3"\nmodel_reasoning_effort = "high"\n\n[profiles.work.features]\nweb_search_request = true\n';
    const plan = planLegacyMigration(source(text), HOME, new Map([profile('work', undefined)]))!;
    expect(plan.selector).toEqual({ name: 'work', line: 1 });
    expect(plan.tables).toEqual([
      {
        name: 'work',
        line: 3,
        target: `${HOME}/work.config.toml`,
        targetExists: false,
        moves: [
          { path: ['model'], value: 'o3' },
          { path: ['model_reasoning_effort'], value: 'high' },
          { path: ['features', 'web_search_request'], value: true },
        ],
        same: [],
        conflicts: [],
        blocked: undefined,
      },
    ]);
    expect(planChangesSomething(plan)).toBe(true);
  });

  it('keeps equal values as "same" and different ones as conflicts, with their lines', () => {
    const text = '[profiles.work]\nmodel = "o3"\nmodel_context_window = 1000\nsandbox_mode = "read-only"\n';
    const plan = planLegacyMigration(
      source(text),
      HOME,
      new Map([profile('work', 'model = "o3"\nmodel_context_window = 2000\n')]),
    )!;
    const t = plan.tables[0]!;
    expect(t.targetExists).toBe(true);
    expect(t.same).toEqual([['model']]);
    expect(t.conflicts).toEqual([
      { path: ['model_context_window'], line: 3, legacy: 1000n, existing: 2000n },
    ]);
    expect(t.moves).toEqual([{ path: ['sandbox_mode'], value: 'read-only' }]);
  });

  it('a profile file with a scalar where the table needs a path is a conflict', () => {
    const plan = planLegacyMigration(
      source('[profiles.work.features]\nx = true\n'),
      HOME,
      new Map([profile('work', 'features = "nope"\n')]),
    )!;
    expect(plan.tables[0]!.conflicts).toMatchObject([{ path: ['features', 'x'], existing: 'nope' }]);
  });

  it('blocks a name codex --profile rejects, a non-table, and an unreadable profile file', () => {
    const plan = planLegacyMigration(
      source('[profiles."a.b"]\nmodel = "o3"\n[profiles]\nbad = 1\n'),
      HOME,
      new Map(),
    )!;
    expect(plan.tables.map((t) => [t.name, Boolean(t.blocked)])).toEqual([
      ['a.b', true],
      ['bad', true],
    ]);
    const unreadable = planLegacyMigration(
      source('[profiles.work]\nmodel = "o3"\n'),
      HOME,
      new Map([
        ['work', { file: `${HOME}/work.config.toml`, exists: true, value: {}, error: 'invalid TOML' }],
      ]),
    )!;
    expect(unreadable.tables[0]!.blocked).toContain('invalid TOML');
    expect(planChangesSomething(unreadable)).toBe(false);
  });
});
