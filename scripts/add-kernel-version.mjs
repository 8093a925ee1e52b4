#!/usr/bin/env node
// Writes the three things a new kernel version is, into a copy of the project: the abi/ file, its
// header fixture and its scenario in the C fixture generator; here the made-up pci/blk16-v3 (a copy
// of pci/blk16-v2 with PCI_LUO_FLB_VERSION 3). Used by test/architecture/new-kernel-version.test.ts
// to show that no test has to change for it. Usage: node scripts/add-kernel-version.mjs DIR
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node scripts/add-kernel-version.mjs DIR');
const edit = (from, to, change) => writeFileSync(join(dir, to), change(readFileSync(join(dir, from), 'utf8')));
const must = (text, what, change) => {
  const out = change(text);
  if (out === text) throw new Error(`add-kernel-version: ${what} not found`);
  return out;
};

edit('abi/pci-blk16-v2.ts', 'abi/pci-blk16-v3.ts', (t) =>
  must(t, 'the id and version', (s) => s.replace("id: 'pci/blk16-v2'", "id: 'pci/blk16-v3'").replace('version: 2,', 'version: 3,').replace('u32 version = 2', 'u32 version = 3')),
);
edit('fixtures/headers/pci-blk16-v2.h', 'fixtures/headers/pci-blk16-v3.h', (t) =>
  must(t, 'the header version', (s) => s.replaceAll('pci/blk16-v2', 'pci/blk16-v3').replace('#define PCI_LUO_FLB_VERSION 2', '#define PCI_LUO_FLB_VERSION 3')),
);
edit('fixtures/gen/gen-fixtures.c', 'fixtures/gen/gen-fixtures.c', (t) =>
  must(t, 'the blk16-v2 scenario', (s) =>
    s
      .replace(/(static const struct layout blk16_v2 = [^\n]*\n)/, '$1static const struct layout blk16_v3 = { "pci/blk16-v3", "pci", BLOCKS, 0, 0, 1, "refcount", emit_v8 };\n')
      .replace(/(\tgen_block_root\(&blk16_v2, [^\n]*\n)/, '$1\tgen_block_root(&blk16_v3, 3, 1, "made-up pci tree (PCI_LUO_FLB_VERSION 3)");\n'),
  ),
);
