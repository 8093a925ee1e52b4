import type { Btf } from '../btf/btf.js';
import { btfStructs } from '../btf/btf-structs.js';
import { khoStructNames } from '../btf/kho-structs.js';
import type { StructLayout } from '../layout/engine.js';
import type { SourcePos } from '../header/header-error.js';
import type { LayoutDifference } from '../header/compiler-layout.js';
import type { ParsedHeader } from '../header/types.js';
import type { PciAbi } from '../registry.js';

/** One side of an ABI diff: the structs of a header and its compat macros, from a header or a registry id. */
export interface AbiSnapshot {
  /** How the side is named in reports: an id, a file, or REF:PATH. */
  readonly label: string;
  /** The header path the side stands for (include/linux/kho/abi/pci.h for an id). */
  readonly header: string;
  /** A file whose line numbers the positions refer to (headers only). */
  readonly file?: string;
  readonly structs: readonly StructLayout[];
  /** `*_COMPATIBLE` and `*_VERSION` macros by name, values as text. */
  readonly compat: ReadonlyMap<string, string>;
  /** Where structs (`name`), members (`name.member`) and macros (`#NAME`) are declared. */
  readonly positions: ReadonlyMap<string, SourcePos>;
  /**
   * A built kernel or object read through BTF, not a header: it has no macros (the compat
   * rules cannot run) and no alignment attributes, and holds every `*_ser` struct it was built with.
   */
  readonly btf?: true;
  /** With `--cc`: where the compiler lays a struct out differently. */
  readonly layoutDiffers?: readonly LayoutDifference[];
}

/** The snapshot of a parsed header. */
export function headerSnapshot(h: ParsedHeader, label: string, header = h.file): AbiSnapshot {
  const positions = new Map<string, SourcePos>();
  for (const s of h.structs) {
    positions.set(s.name, s.pos);
    for (const [f, pos] of s.fieldPos) positions.set(`${s.name}.${f}`, pos);
  }
  const compat = new Map<string, string>();
  for (const d of [...h.compatible, ...h.versions]) {
    compat.set(d.name, typeof d.value === 'string' ? JSON.stringify(d.value) : String(d.value));
    positions.set(`#${d.name}`, d.pos);
  }
  return { label, header, file: h.file, structs: h.structs.map((s) => s.layout), compat, positions };
}

/** The snapshot of a registry id: its structs and PCI_LUO_FLB_COMPATIBLE (and PCI_LUO_FLB_VERSION). */
export function abiSnapshot(abi: PciAbi): AbiSnapshot {
  const compat = new Map([['PCI_LUO_FLB_COMPATIBLE', JSON.stringify(abi.compatible)]]);
  if (abi.version !== undefined) compat.set('PCI_LUO_FLB_VERSION', String(abi.version));
  return { label: abi.id, header: abi.header, structs: abi.structs, compat, positions: new Map() };
}

/** The snapshot of a BTF: its KHO ABI structs (every `*_ser` and registry container struct), no macros. */
export function btfSnapshot(btf: Btf, label: string): AbiSnapshot {
  const structs = [...btfStructs(btf, khoStructNames(btf)).values()];
  return { label, header: label, file: btf.file, structs, compat: new Map(), positions: new Map(), btf: true };
}

/** A side with no structs and no macros: a header that does not exist at one end of a range. */
export function emptySnapshot(label: string, header: string): AbiSnapshot {
  return { label, header, structs: [], compat: new Map(), positions: new Map() };
}
