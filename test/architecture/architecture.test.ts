import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkArchitecture, type ArchitectureRules, type SourceFile } from './check.js';

/*
 * The architecture of src/, as data (ARCHITECTURE.md lists the same rules).
 *
 * Core folders are pure: they compute, they never touch files, processes, threads, the network, the AWS SDK or the
 * command line. Edges do the effects: io/ (files), aws/ (the SDK), operations/ (library workflows over an injected
 * host), cli/ (commander). Edges import core, never the other way; among edges, aws/ and io/ stay below operations/
 * and cli/, and operations/ below cli/.
 */
export const RULES: ArchitectureRules = {
  layers: {
    diagnostics: 'core',
    util: 'core',
    model: 'core',
    spec: 'core',
    plan: 'core',
    catalog: 'core',
    policy: 'core',
    emit: 'core',
    snapshot: 'core',
    changes: 'core',
    delta: 'core',
    verify: 'core',
    adopt: 'core',
    migrate: 'core',
    report: 'core',
    synthetic: 'core',
    io: 'edge',
    aws: 'edge',
    operations: 'edge',
    cli: 'edge',
  },
  coreForbiddenModules: [
    'node:fs',
    'node:fs/promises',
    'node:child_process',
    'node:worker_threads',
    'node:net',
    'node:http',
    'node:https',
    '@aws-sdk/',
    '@smithy/',
    'commander',
  ],
  edgeForbidden: {
    aws: ['cli', 'operations'],
    io: ['aws', 'cli', 'operations'],
    operations: ['cli'],
  },
  testFolders: ['test-support', 'test'],
  exemptFiles: ['src/index.ts', 'src/version.ts'],
  maxFunctionLines: 120,
  longFunctionExempt: ['src/catalog/data/catalog-data.ts'],
};

const root = join(import.meta.dirname, '..', '..');

function tree(): SourceFile[] {
  return readdirSync(join(root, 'src'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort()
    .map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

describe('the architecture of src/', () => {
  const found = checkArchitecture(tree(), RULES);

  it('breaks no rule', () => {
    expect(found.map((v) => v.message)).toEqual([]);
  });

  it('gives every top-level folder of src/ a layer', () => {
    const folders = readdirSync(join(root, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => RULES.layers[f] === undefined)).toEqual([]);
  });
});

/** The text of a function `name` that spans exactly `lines` lines. */
function fn(name: string, lines: number): string {
  const body = Array.from({ length: lines - 3 }, (_, i) => `  const x${i} = ${i};`);
  return [`export function ${name}(): number {`, ...body, '  return 0;', '}', ''].join('\n');
}

function check(files: Record<string, string>): string[] {
  return checkArchitecture(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    RULES,
  ).map((v) => v.key);
}

describe('the architecture check', () => {
  it('reports a core folder importing an edge folder, also by re-export and dynamic import', () => {
    expect(
      check({
        'src/plan/a.ts': "import { main } from '../cli/main.js';\nexport * from '../io/files.js';\nconst m = await import('../aws/clients.js');\n",
        'src/cli/main.ts': "import { plan } from '../plan/a.js';\n",
      }),
    ).toEqual([
      'core-to-edge src/plan/a.ts src/aws/clients.ts',
      'core-to-edge src/plan/a.ts src/cli/main.ts',
      'core-to-edge src/plan/a.ts src/io/files.ts',
      'folder-cycle cli plan',
    ]);
  });

  it('reports effectful modules in core files and allows them in edges', () => {
    expect(
      check({
        'src/policy/x.ts': [
          "import { readFile } from 'node:fs/promises';",
          "import { statSync } from 'fs';",
          "import { spawn } from 'node:child_process';",
          "import { IAMClient } from '@aws-sdk/client-iam';",
          "import { HttpRequest } from '@smithy/protocol-http';",
          "import { Command } from 'commander';",
          "import { join } from 'node:path';",
          "import { z } from 'zod';",
        ].join('\n'),
        'src/io/files.ts': "import { readFile } from 'node:fs/promises';\n",
        'src/aws/clients.ts': "import { IAMClient } from '@aws-sdk/client-iam';\n",
      }),
    ).toEqual([
      'core-module src/policy/x.ts @aws-sdk/client-iam',
      'core-module src/policy/x.ts @smithy/protocol-http',
      'core-module src/policy/x.ts commander',
      'core-module src/policy/x.ts fs',
      'core-module src/policy/x.ts node:child_process',
      'core-module src/policy/x.ts node:fs/promises',
    ]);
  });

  it('reports the forbidden edge-to-edge imports and allows the rest', () => {
    expect(
      check({
        'src/aws/a.ts': "import '../cli/x.js';\nimport '../operations/y.js';\nimport '../io/files.js';\n",
        'src/io/a.ts': "import '../aws/b.js';\nimport '../operations/y.js';\n",
        'src/operations/o.ts': "import '../cli/c.js';\nimport '../aws/b.js';\n",
        'src/cli/c.ts': "import '../operations/o.js';\nimport '../aws/b.js';\n",
      }),
    ).toEqual([
      'edge-to-edge src/aws/a.ts src/cli/x.ts',
      'edge-to-edge src/aws/a.ts src/operations/y.ts',
      'edge-to-edge src/io/a.ts src/aws/b.ts',
      'edge-to-edge src/io/a.ts src/operations/y.ts',
      'edge-to-edge src/operations/o.ts src/cli/c.ts',
      'folder-cycle aws cli io operations',
    ]);
  });

  it('reports shipped code importing test helpers or test files; tests themselves may', () => {
    expect(
      check({
        'src/io/a.ts': "import { runCli } from '../../test-support/cli.js';\nimport { x } from '../plan/plan.test.js';\nimport { y } from '../../test/emit/fixtures.js';\n",
        'src/io/a.test.ts': "import { runCli } from '../../test-support/cli.js';\nimport { main } from '../cli/main.js';\n",
      }),
    ).toEqual(['test-import src/io/a.ts src/plan/plan.test.ts', 'test-import src/io/a.ts test-support/cli.ts', 'test-import src/io/a.ts test/emit/fixtures.ts']);
  });

  it('reports a cycle between folders with its path and one import per step', () => {
    const found = checkArchitecture(
      [
        { path: 'src/plan/a.ts', text: "import { b } from '../model/b.js';\n" },
        { path: 'src/model/b.ts', text: "import { c } from '../spec/c.js';\n" },
        { path: 'src/spec/c.ts', text: "\nimport { a } from '../plan/a.js';\n" },
        { path: 'src/util/u.ts', text: "import { b } from '../model/b.js';\n" },
      ],
      RULES,
    );
    expect(found).toEqual([
      {
        rule: 'folder-cycle',
        key: 'folder-cycle model plan spec',
        message:
          'folders import each other: model → spec → plan → model: src/model/b.ts:1 imports src/spec/c.ts; src/spec/c.ts:2 imports src/plan/a.ts; src/plan/a.ts:1 imports src/model/b.ts',
      },
    ]);
  });

  it('exempts the library entry and version from the folder rules', () => {
    expect(check({ 'src/index.ts': "export * from './cli/main.js';\nexport * from './plan/plan.js';\n", 'src/plan/plan.ts': "import { VERSION } from '../version.js';\n", 'src/version.ts': '' })).toEqual([]);
  });

  it('reports a function over 120 lines with file, name and length, nested closures included', () => {
    const long = fn('tooLong', 121);
    expect(long.split('\n').length - 1).toBe(121);
    const nested = `export const outer = () => {\n  const inner = function () {\n${'    work();\n'.repeat(119)}  };\n};\n`;
    const found = checkArchitecture(
      [
        { path: 'src/plan/a.ts', text: `${fn('fits', 120)}${long}` },
        { path: 'src/plan/b.ts', text: nested },
        { path: 'src/catalog/data/catalog-data.ts', text: long },
        { path: 'src/plan/a.test.ts', text: long },
      ],
      RULES,
    );
    expect(found.map((v) => v.message)).toEqual([
      'src/plan/a.ts:121: function `tooLong` is 121 lines; the limit is 120: split it along its seams',
      'src/plan/b.ts:2: function `inner` is 121 lines; the limit is 120: split it along its seams',
      'src/plan/b.ts:1: function `outer` is 123 lines; the limit is 120: split it along its seams',
    ]);
  });

  it('names methods by their class', () => {
    const body = '    step();\n'.repeat(121);
    expect(check({ 'src/aws/x.ts': `export class Executor {\n  run(): void {\n${body}  }\n}\n` })).toEqual(['long-function src/aws/x.ts Executor.run']);
  });

  it('reports a folder the rules do not know', () => {
    expect(check({ 'src/gadgets/g.ts': 'export const g = 1;\n' })).toEqual(['unknown-folder gadgets']);
  });
});
