import madge from 'madge';
import { describe, expect, it } from 'vitest';

/**
 * The layers, bottom first: a module may import its own layer or one below, never one above,
 * and the folders of one layer never import each other in a circle. A folder of src/ (or a
 * file at its top) that is in no layer fails the test: place it.
 */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['schema', 'errors', 'findings', 'rule-ids', 'pci-address', 'io', 'page-size'],
  ['abi', 'layout'],
  ['registry'],
  ['memory', 'block-chain', 'codec', 'header', 'btf', 'fdt'],
  ['validate', 'abi-diff', 'convert', 'compat', 'blob-diff', 'detect', 'luo-flb', 'discovery', 'gen', 'fuzz'],
  ['format'],
  ['cli', 'cli.ts', 'index'],
];

const layerOf = new Map(LAYERS.flatMap((units, rank) => units.map((u) => [u, rank] as const)));

/** The folder (or top-level file) a module path of the graph belongs to: `validate/rules/x.ts` -> validate. */
function unitOf(file: string): string {
  if (file.startsWith('../abi/')) return 'abi';
  const [first, ...rest] = file.split('/');
  return rest.length ? first! : first!.replace(/\.ts$/, '') === 'cli' ? 'cli.ts' : first!.replace(/\.ts$/, '');
}

type Graph = Record<string, string[]>;

/** Imports that go up a layer (and modules in no layer), as `from -> to`. */
function upwardImports(obj: Graph): string[] {
  const out: string[] = [];
  for (const [file, deps] of Object.entries(obj)) {
    const from = layerOf.get(unitOf(file));
    if (from === undefined) out.push(`${file}: folder ${unitOf(file)} is in no layer of this test`);
    for (const dep of deps) {
      const to = layerOf.get(unitOf(dep));
      if (from !== undefined && to !== undefined && to > from) out.push(`${file} -> ${dep}`);
    }
  }
  return out;
}

/** Pairs of folders that import each other, directly or through others. */
function folderCycles(obj: Graph): string[] {
  const edges = new Map<string, Set<string>>();
  for (const [file, deps] of Object.entries(obj)) {
    const from = unitOf(file);
    for (const dep of deps) if (unitOf(dep) !== from) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(unitOf(dep));
  }
  const reaches = (from: string, to: string, seen: Set<string>): boolean =>
    [...(edges.get(from) ?? [])].some((n) => n === to || (!seen.has(n) && (seen.add(n), reaches(n, to, seen))));
  const cycles: string[] = [];
  for (const [a, bs] of edges) for (const b of bs) if (reaches(b, a, new Set())) cycles.push(`${a} -> ${b} -> ${a}`);
  return cycles;
}

const graph = madge('src', {
  fileExtensions: ['ts'],
  tsConfig: 'tsconfig.json',
  // `import type` counts: a type-only cycle is still two modules that cannot be read apart.
  detectiveOptions: { ts: { skipTypeImports: false }, es6: { skipTypeImports: false } },
});

describe('the import graph of src/', () => {
  it('has the modules and their imports (madge read them all)', async () => {
    const g = await graph;
    expect(Object.keys(g.obj()).length).toBeGreaterThan(100);
    expect(g.warnings().skipped).toEqual([]);
    expect(g.obj()['validate/validate.ts']).toContain('validate/context.ts');
  });

  it('has no import cycle between files', async () => {
    expect((await graph).circular()).toEqual([]);
  });

  it('places every folder in a layer, and imports only the same layer or below', async () => {
    expect(upwardImports((await graph).obj())).toEqual([]);
  });

  it('has no cycle between folders', async () => {
    expect(folderCycles((await graph).obj())).toEqual([]);
  });

  it('the checks fail on an upward import, an unplaced folder and a folder cycle', () => {
    const bad: Graph = {
      'validate/rules/x.ts': ['format/findings.ts'],
      'codec/decode.ts': ['block-chain/read-chain.ts'],
      'block-chain/extra.ts': ['codec/decode.ts'],
      'utils2/misc.ts': [],
      '../abi/pci-blk16-v2.ts': ['schema/define.ts'],
    };
    expect(upwardImports(bad)).toEqual(['validate/rules/x.ts -> format/findings.ts', 'utils2/misc.ts: folder utils2 is in no layer of this test']);
    expect(folderCycles(bad)).toEqual(['codec -> block-chain -> codec', 'block-chain -> codec -> block-chain']);
  });
});
