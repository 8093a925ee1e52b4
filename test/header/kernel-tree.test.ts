import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHeader } from '../../src/header/parse-header.js';
import { PRELUDE_HEADERS } from '../../src/header/prelude.js';
import { archDir, type Arch, type Target } from '../../src/header/target.js';
import { treeIncludeResolver } from '../../src/header/tree-resolver.js';
import type { ParsedHeader } from '../../src/header/types.js';
import { renderCAsserts } from '../../src/layout/c-render.js';
import { cPrelude, targetFlags } from '../../src/header/c-prelude.js';
import { bitFieldProbe } from '../helpers/bit-field-probe.js';

/**
 * The fixture kernel tree (fixtures/kernel-tree: our own headers written with the constructs
 * of include/linux/kho/abi) read by the header reader for each --arch, and every layout
 * checked by a real compiler for that target: gcc (x86_64, i386 with -m32) or clang
 * (arm64): _Static_assert on every size, alignment, offset and member size, and on x86_64
 * a program that sets each bit-field and reports which bits moved.
 */
const run = promisify(execFile);
const TREE = fileURLToPath(new URL('../../fixtures/kernel-tree', import.meta.url));
const HEADERS = ['block', 'compat', 'cpu', 'hugetlb', 'iommu', 'kexec_handover', 'luo', 'memfd'].map((h) => `include/linux/kho/abi/${h}.h`);
const ARCHES: Array<[Arch, 'gcc' | 'clang']> = [['x86_64', 'gcc'], ['i386', 'gcc'], ['arm64', 'clang']];
let stubs: string;

const read = (p: string) => {
  try {
    return readFileSync(join(TREE, p), 'utf8');
  } catch {
    return undefined;
  }
};

/** Parse a fixture header for a target, includes resolved in the fixture tree. */
export function parseTreeHeader(path: string, target: Target, defines: Record<string, string> = {}): ParsedHeader {
  return parseHeader(read(path)!, path, { resolveInclude: treeIncludeResolver(read, target.arch), target, defines });
}

async function compile(cc: 'gcc' | 'clang', target: Target, source: string, out?: string): Promise<string> {
  const args = [...targetFlags(target, cc), '-std=gnu11', '-nostdinc', '-x', 'c', ...(out ? ['-o', out] : ['-fsyntax-only']), '-I', stubs, '-I', join(TREE, 'include'), '-I', join(TREE, 'include/uapi'), '-I', join(TREE, `arch/${archDir(target.arch)}/include`), '-'];
  const child = run(cc, args);
  child.child.stdin!.end(source);
  try {
    await child;
    return '';
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error(`${cc} not found on PATH: these tests need a real compiler`);
    return err.stderr ?? String(e);
  }
}

beforeAll(() => {
  stubs = mkdtempSync(join(tmpdir(), 'kho-abi-stubs-'));
  for (const h of PRELUDE_HEADERS) {
    mkdirSync(dirname(join(stubs, h)), { recursive: true });
    writeFileSync(join(stubs, h), '');
  }
});
afterAll(() => rmSync(stubs, { recursive: true, force: true }));

describe.each(ARCHES)('fixture kernel tree for --arch %s, checked by %s', (arch, cc) => {
  const target: Target = { arch, pageSize: 4096 };
  it.each(HEADERS)('%s: every layout is what the compiler lays out', async (path) => {
    const h = parseTreeHeader(path, target);
    expect(h.staticAsserts.every((a) => a.holds)).toBe(true);
    const source = `${cPrelude(target)}\n#include "${join(TREE, path)}"\n${renderCAsserts(h.structs.map((s) => s.layout))}`;
    expect(await compile(cc, target, source)).toBe('');
  });
});

describe('bit-fields, checked bit by bit on x86_64', () => {
  it.each(['cpu', 'memfd', 'iommu'])('%s.h: each bit-field sets exactly the bits we place it at', async (name) => {
    const target: Target = { arch: 'x86_64', pageSize: 4096 };
    const h = parseTreeHeader(`include/linux/kho/abi/${name}.h`, target);
    const nested = h.structs.map((s) => s.layout);
    const probe = bitFieldProbe(nested);
    const dir = mkdtempSync(join(tmpdir(), 'kho-abi-probe-'));
    try {
      const exe = join(dir, 'probe');
      expect(await compile('gcc', target, `${cPrelude(target)}\n#include "${join(TREE, `include/linux/kho/abi/${name}.h`)}"\n${probe.source}`, exe)).toBe('');
      const { stdout } = await run(exe);
      expect(stdout.trim().split('\n')).toEqual(probe.expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what the fixture tree reads as', () => {
  const x86: Target = { arch: 'x86_64', pageSize: 4096 };
  const field = (h: ParsedHeader, s: string, f: string) => h.structs.find((x) => x.name === s)!.layout.fields.find((x) => x.name === f)!;

  it('memfd.h: bit-fields of a packed struct, a struct from a kernel-internal header that includes the ABI one', () => {
    const h = parseTreeHeader('include/linux/kho/abi/memfd.h', x86);
    expect(['pfn', 'flags', 'index'].map((f) => field(h, 'memfd_luo_folio_ser', f)).map((f) => [f.bitOffset, f.bitSize, f.offset, f.size])).toEqual([[0, 52, 0, 8], [52, 12, 0, 8], [undefined, undefined, 8, 8]]);
    expect(h.structs.find((s) => s.name === 'memfd_luo_ser')!.layout.size).toBe(40);
    expect(h.compatible.map((d) => d.value)).toEqual(['memfd-v1']);
    expect(Object.fromEntries(h.defines.map((d) => [d.name, d.value]))).toMatchObject({ MEMFD_LUO_FOLIO_DIRTY: 1n, MEMFD_LUO_FOLIO_UPTODATE: 2n });
  });

  it('luo.h: a composite compat string sized into the struct, a uapi length, 2-D and flexible 2-D arrays', () => {
    const h = parseTreeHeader('include/linux/kho/abi/luo.h', x86);
    expect(h.compatible.map((d) => [d.name, d.value])).toEqual([['LUO_ABI_COMPATIBLE', 'luo-v4;block-v1']]);
    expect(field(h, 'luo_ser', 'compatible')).toMatchObject({ size: 16, count: 16 });
    expect(field(h, 'luo_session_ser', 'tags')).toMatchObject({ offset: 64, size: 64, dims: [4, 16] });
    expect(field(h, 'luo_names_ser', 'names')).toMatchObject({ offset: 4, size: 0, flexible: true, dims: [0, 8] });
    const test = parseTreeHeader('include/linux/kho/abi/luo.h', x86, { CONFIG_LIVEUPDATE_TEST: '1' });
    expect(test.compatible.map((d) => d.name)).toEqual(['LUO_ABI_COMPATIBLE']); // a function-like macro is not a compat string
  });

  it('cpu.h: the arch picks the body and the register count; i386 aligns u64 to 4', () => {
    const sizes = (arch: Arch) => {
      const h = parseTreeHeader('include/linux/kho/abi/cpu.h', { arch, pageSize: 4096 });
      return Object.fromEntries(h.structs.map((s) => [s.name, [s.layout.size, s.layout.align]]));
    };
    expect(sizes('x86_64')).toMatchObject({ cpu_preserved_ser: [176, 8], cpu_arch_ser: [16, 8] });
    expect(sizes('arm64')).toMatchObject({ cpu_preserved_ser: [296, 8], cpu_arch_ser: [16, 8] });
    expect(sizes('i386')).toMatchObject({ cpu_preserved_ser: [172, 4], cpu_arch_ser: [16, 4] });
    const h = parseTreeHeader('include/linux/kho/abi/cpu.h', x86);
    expect(field(h, 'cpu_preserved_ser', 'state')).toMatchObject({ kind: 'enum', offset: 4, size: 4 });
    expect(field(h, 'cpu_preserved_ser', 'session').struct!.fields.map((f) => [f.name, f.kind, f.size])).toEqual([['phys', 'int', 8], ['ptr', 'pointer', 8]]);
    expect(h.compatible.map((d) => d.value)).toEqual(['cpu_flb_v1']);
    expect(h.versions.map((d) => d.value)).toEqual([2n]);
  });

  it('kexec_handover.h: enum constants from PAGE_SHIFT and const_ilog2 size arrays; --page-size changes them', () => {
    const h = parseTreeHeader('include/linux/kho/abi/kexec_handover.h', x86);
    expect(Object.fromEntries(h.structs.map((s) => [s.name, s.layout.size]))).toEqual({ kho_vmalloc_hdr: 8, kho_vmalloc_chunk: 4096, kho_vmalloc: 16, kho_radix_node: 4096, kho_radix_leaf: 4096 });
    const big = parseTreeHeader('include/linux/kho/abi/kexec_handover.h', { arch: 'arm64', pageSize: 16384 });
    expect(big.structs.find((s) => s.name === 'kho_vmalloc_chunk')!.layout.size).toBe(16384);
    expect(big.staticAsserts.every((a) => a.holds)).toBe(true);
  });
});
