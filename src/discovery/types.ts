import type { FlbInspection } from '../luo-flb/inspect-flb.js';

/** A broken link on the way from a KHO tree to the PCI state. */
export interface DiscoveryFinding {
  readonly rule: 'KHO_FDT_INVALID' | 'LUO_INVALID';
  readonly severity: 'error';
  readonly message: string;
  /** Physical address of the byte the finding is about. */
  readonly address?: bigint;
  /** Byte offset in the tree or struct the finding is about. */
  readonly offset?: number;
  /** The file the tree came from (`--kho-fdt FILE`). */
  readonly file?: string;
}

/** What a step of the path read. */
export type PathKind = 'kho-fdt' | 'luo-fdt' | 'luo-ser' | 'flb-table';

/** One link of the path from the KHO tree to the FLB table. */
export interface PathStep {
  readonly kind: PathKind;
  /** Physical address; absent for a tree read from a file. */
  readonly address?: bigint;
  readonly file?: string;
  /** The compat string read there. */
  readonly compatible?: string;
  /** The number of a `kho-vN` / `luo-vN` compat string. */
  readonly version?: number;
  /** The registry container whose layout was used (kho-fdt, luo-fdt, luo-ser-v5, ...). */
  readonly layout?: string;
  /** The property or field this address was read from (`LUO/preserved-data`, `luo_ser.flbs_pa`). */
  readonly via?: string;
  /** Bytes read there (FDT totalsize, blob-size, sizeof(struct luo_ser)). */
  readonly size?: number;
  /** LUO: liveupdate_num / liveupdate-number. */
  readonly liveupdateNum?: bigint;
}

/** One KHO tree and everything reached from it. */
export interface KhoTree {
  /** Physical address of the tree; absent when read from a file. */
  readonly address?: bigint;
  readonly file?: string;
  /** The root compatible string, null when the tree cannot be read that far. */
  readonly compatible: string | null;
  readonly path: PathStep[];
  /** The FLB table and every PCI blob it leads to, when the path reached it. */
  flb: FlbInspection | null;
  readonly findings: DiscoveryFinding[];
  /** What the path says besides findings (no LUO entry, no FLB table in this LUO version, ...). */
  readonly notes: string[];
  /** Whether the LUO blob carries a size (kho-v2 was written both ways). */
  blobSize?: boolean;
  /** `incoming`: handed over by the previous kernel; `outgoing`: this kernel's own. */
  role?: 'incoming' | 'outgoing';
  /** Why the role was given. */
  roleReason?: string;
  /** Other addresses holding the same bytes. */
  duplicates: bigint[];
}
