/** C scalar types the KHO ABI headers use; all stored little-endian unless `__be*`. */
export type IntType =
  | 'u8' | 'u16' | 'u32' | 'u64'
  | 's8' | 's16' | 's32' | 's64'
  | '__le16' | '__le32' | '__le64'
  | '__be16' | '__be32' | '__be64';

export type ScalarType = IntType | 'char';

/** One member of a C struct, as declared in the header. */
export interface FieldDef {
  readonly name: string;
  /** A scalar type, or `struct NAME` / `union NAME` for a nested aggregate. */
  readonly type: ScalarType | `struct ${string}` | `union ${string}`;
  /** Fixed array length (`x[N]`). */
  readonly count?: number;
  /** Flexible array member (`x[]`). */
  readonly flexible?: boolean;
  /** `__aligned(n)` on the member. */
  readonly aligned?: number;
  /** The kernel-doc `@name:` text. */
  readonly doc?: string;
  /** The value is a physical address (printed as 0x hex in JSON). */
  readonly address?: boolean;
}

/** A C struct (or union) with its attributes. */
export interface StructDef {
  readonly name: string;
  /** A union: every member at offset 0, size of the largest. */
  readonly union?: boolean;
  readonly packed?: boolean;
  /** `__aligned(n)` on the struct. */
  readonly aligned?: number;
  readonly fields: readonly FieldDef[];
  readonly doc?: string;
}

/** Where a layout was seen: a commit in a public tree and/or a mail. */
export interface Provenance {
  readonly repo?: string;
  readonly commit?: string;
  readonly messageId?: string;
  readonly note?: string;
}

/**
 * How the kernel uses the entries:
 * - `sorted`: devices[0..nr) strictly ascending by domain << 16 | bdf, no holes;
 * - `slots`: any slot in [0, max) is in use iff refcount != 0, refcount is 0 or 1;
 * - `slots-hier`: as slots, refcount counts preserved devices at or below a bridge;
 * - `skeleton`: the blob is allocated but no device is ever written.
 */
export type Semantics = 'sorted' | 'slots' | 'slots-hier' | 'skeleton';

/** Where the device entries live: inline after the root, or in a KHO block chain. */
export type Storage = 'inline' | 'block-chain';

/** A registry entry for one layout of include/linux/kho/abi/pci.h. */
export interface PciAbiDef {
  readonly kind: 'pci';
  readonly id: string;
  readonly compatible: string;
  /** PCI_LUO_FLB_VERSION, for layouts that carry a version field. */
  readonly version?: number;
  readonly header: string;
  /** When the layout was first seen (ISO date, month precision where the day is unknown). */
  readonly seen: string;
  readonly summary: string;
  readonly provenance: readonly Provenance[];
  readonly semantics: Semantics;
  readonly storage: Storage;
  readonly structs: readonly StructDef[];
}

/** A property of a KHO or LUO flattened device tree that a reader follows. */
export interface FdtPropertyDef {
  /** The node below the root that holds it: '' for the root, '*' for every subnode. */
  readonly node: string;
  readonly name: string;
  /** `u64`: 8 bytes in the writer's CPU order (little-endian), as the kernel stores them; `string`: NUL-terminated. */
  readonly type: 'u64' | 'string';
  readonly doc: string;
}

/** Structs of another KHO ABI header that PCI layouts depend on (block chains, LUO FLB table). */
export interface ContainerAbiDef {
  readonly kind: 'container';
  readonly id: string;
  readonly compatible?: string;
  /** Other compat strings written with the same bytes. */
  readonly alsoCompatible?: readonly string[];
  /** The properties of the flattened device tree this header describes, when it is one. */
  readonly fdt?: readonly FdtPropertyDef[];
  readonly header: string;
  readonly summary: string;
  readonly provenance: readonly Provenance[];
  readonly structs: readonly StructDef[];
}

export type AbiDef = PciAbiDef | ContainerAbiDef;
