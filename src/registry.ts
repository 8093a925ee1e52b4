import { definitions, fingerprints } from '../abi/index.js';
import { UsageError } from './errors.js';
import { layoutStructs, type FieldLayout, type StructLayout } from './layout/engine.js';
import type { AbiDef, ContainerAbiDef, FdtPropertyDef, PciAbiDef, Provenance, Semantics, Storage } from './schema/types.js';

type PciDefs = Extract<(typeof definitions)[number], { kind: 'pci' }>;

/** Every known PCI ABI id, as a string literal type. */
export type AbiId = PciDefs['id'];

/**
 * An id or compat string given as a literal must be a known one (a misspelling does not type-check);
 * a string known only at run time is checked then.
 */
export type AbiName<S extends string> = string extends S ? S : S extends AbiId | PciDefs['compatible'] ? S : AbiId;

/** The definition (with literal field names) of one id. */
export type AbiDefOf<I extends AbiId> = Extract<PciDefs, { id: I }>;

/** A registry entry with its structs laid out. */
export interface AbiCommon {
  readonly id: string;
  readonly compatible?: string;
  readonly header: string;
  readonly summary: string;
  readonly provenance: readonly Provenance[];
  readonly structs: readonly StructLayout[];
  /** Hash of the byte layout of every struct (names left out). */
  readonly fingerprint: string;
}

/** The role each root / entry field plays, found by its kernel name. */
export interface PciRoles {
  readonly nr: FieldLayout;
  readonly max?: FieldLayout;
  readonly version?: FieldLayout;
  /** The flexible array (inline) or the u64 physical address (block chain). */
  readonly devices: FieldLayout;
  readonly domain: FieldLayout;
  readonly bdf: FieldLayout;
  readonly refcount?: FieldLayout;
  /** `reserved` / `padding`: must be written as zero. */
  readonly reserved?: FieldLayout;
}

export interface PciAbi extends AbiCommon {
  readonly kind: 'pci';
  readonly id: AbiId;
  readonly compatible: string;
  readonly version?: number;
  readonly seen: string;
  readonly semantics: Semantics;
  readonly storage: Storage;
  /** struct pci_ser */
  readonly root: StructLayout;
  /** struct pci_dev_ser */
  readonly entry: StructLayout;
  readonly roles: PciRoles;
  /** Other ids that use the same compat string. */
  readonly sharesCompatible: readonly AbiId[];
  /** Other ids whose bytes are laid out identically (same fingerprint). */
  readonly sharesBytes: readonly AbiId[];
}

export interface ContainerAbi extends AbiCommon {
  readonly kind: 'container';
  /** Other compat strings written with the same bytes. */
  readonly alsoCompatible: readonly string[];
  /** The flattened device tree properties a reader follows, when the header describes an FDT. */
  readonly fdt: readonly FdtPropertyDef[];
}

/** What every registry entry has but its structs. */
function common(def: AbiDef): Omit<AbiCommon, 'structs'> {
  const fingerprint = fingerprints[def.id];
  if (fingerprint === undefined) throw new Error(`abi ${def.id}: no fingerprint in abi/index.ts (run node scripts/gen-abi-index.mjs)`);
  return {
    id: def.id,
    ...(def.compatible !== undefined ? { compatible: def.compatible } : {}),
    header: def.header,
    summary: def.summary,
    provenance: def.provenance,
    fingerprint,
  };
}

function field(s: StructLayout, name: string, id: string): FieldLayout;
function field(s: StructLayout, name: string, id: string, optional: true): FieldLayout | undefined;
function field(s: StructLayout, name: string, id: string, optional = false): FieldLayout | undefined {
  const f = s.fields.find((x) => x.name === name);
  if (!f && !optional) throw new Error(`abi ${id}: struct ${s.name} has no field ${name}`);
  return f;
}

function buildPci(def: PciAbiDef): Omit<PciAbi, 'sharesCompatible' | 'sharesBytes'> {
  const layouts = layoutStructs(def.structs);
  const root = layouts.get('pci_ser');
  const entry = layouts.get('pci_dev_ser');
  if (!root || !entry) throw new Error(`abi ${def.id}: needs struct pci_ser and struct pci_dev_ser`);
  const devices = field(root, 'devices', def.id);
  if (def.storage === 'inline' ? !devices.flexible : !devices.address) {
    throw new Error(`abi ${def.id}: devices must be a flexible array (inline) or a physical address (block chain)`);
  }
  const version = field(root, 'version', def.id, true);
  if ((version === undefined) !== (def.version === undefined)) {
    throw new Error(`abi ${def.id}: a version number needs a version field and the reverse`);
  }
  const max = field(root, 'max_nr_devices', def.id, true);
  const refcount = field(entry, 'refcount', def.id, true);
  const reserved = field(entry, 'reserved', def.id, true) ?? field(entry, 'padding', def.id, true);
  const roles: PciRoles = {
    nr: field(root, 'nr_devices', def.id),
    devices,
    domain: field(entry, 'domain', def.id),
    bdf: field(entry, 'bdf', def.id),
    ...(max ? { max } : {}),
    ...(version ? { version } : {}),
    ...(refcount ? { refcount } : {}),
    ...(reserved ? { reserved } : {}),
  };
  if (entry.fields.some((f) => f.kind !== 'int' || f.elementSize > 4 || f.count !== undefined)) {
    throw new Error(`abi ${def.id}: pci_dev_ser fields must be integers of at most 32 bits`);
  }
  if (def.semantics.startsWith('slots') && !refcount) throw new Error(`abi ${def.id}: slot semantics need a refcount`);
  if (def.semantics !== 'sorted' && !max && def.storage === 'inline') {
    throw new Error(`abi ${def.id}: inline slots need max_nr_devices`);
  }
  return {
    ...common(def),
    structs: [...layouts.values()],
    kind: 'pci',
    id: def.id as AbiId,
    compatible: def.compatible,
    ...(def.version !== undefined ? { version: def.version } : {}),
    seen: def.seen,
    semantics: def.semantics,
    storage: def.storage,
    root,
    entry,
    roles,
  };
}

/** A container entry; its structs are laid out when first read (`kho-abi list` and the PCI commands never read them). */
function buildContainer(def: ContainerAbiDef): ContainerAbi {
  let structs: readonly StructLayout[] | undefined;
  return {
    ...common(def),
    get structs() {
      return (structs ??= [...layoutStructs(def.structs).values()]);
    },
    kind: 'container',
    alsoCompatible: def.alsoCompatible ?? [],
    fdt: def.fdt ?? [],
  };
}

/** Code-unit order of ASCII ids and ISO dates (localeCompare would load ICU's collator at every start). */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const defs = definitions as readonly AbiDef[];
const pciBase = defs
  .filter((d): d is PciAbiDef => d.kind === 'pci')
  .map(buildPci)
  .sort((a, b) => compareText(a.seen, b.seen) || compareText(a.id, b.id));

/** Every known layout of include/linux/kho/abi/pci.h, oldest first. */
export const abis: readonly PciAbi[] = pciBase.map((a) => ({
  ...a,
  sharesCompatible: pciBase.filter((b) => b !== a && b.compatible === a.compatible).map((b) => b.id),
  sharesBytes: pciBase.filter((b) => b !== a && b.fingerprint === a.fingerprint).map((b) => b.id),
}));

/** The structs of the headers PCI layouts depend on: KHO blocks, the LUO FLB table. */
export const containers: readonly ContainerAbi[] = defs
  .filter((d): d is ContainerAbiDef => d.kind === 'container')
  .map(buildContainer);

const byId = new Map<string, PciAbi>(abis.map((a) => [a.id, a]));
/** The layout getAbi found last by its id: a program that handles one id pays no map lookup per call. */
let lastFound: PciAbi | undefined;

/** Whether a string is a known PCI ABI id. */
export function isAbiId(id: string): id is AbiId {
  return byId.has(id);
}

/**
 * Look up an id. A bare compat string is accepted when exactly one id uses it;
 * an unknown or ambiguous name is a UsageError that lists the candidates.
 */
export function getAbi<I extends AbiId>(id: I): PciAbi & { id: I };
export function getAbi<S extends string>(id: AbiName<S>): PciAbi;
export function getAbi(id: string): PciAbi {
  if (id === lastFound?.id) return lastFound;
  const exact = byId.get(id);
  if (exact) return (lastFound = exact);
  const sharing = abis.filter((a) => a.compatible === id);
  if (sharing.length === 1) return sharing[0]!;
  if (sharing.length > 1) {
    throw new UsageError(
      `compat string "${id}" names ${sharing.length} layouts; name one of them: ${sharing.map((a) => a.id).join(', ')}`,
    );
  }
  throw new UsageError(`unknown ABI id "${id}"; known ids: ${abis.map((a) => a.id).join(', ')}`);
}

/**
 * The ids a list of names selects, in registry order: an id selects itself, a compat string every
 * id that uses it; no names select every id. An unknown name is a UsageError.
 */
export function selectAbis(names: readonly string[]): readonly PciAbi[] {
  if (names.length === 0) return abis;
  const chosen = new Set<PciAbi>();
  for (const name of names) {
    const hits = abis.filter((a) => a.id === name || a.compatible === name);
    if (hits.length === 0) {
      const compats = [...new Set(abis.map((a) => a.compatible))];
      throw new UsageError(`unknown ABI id or compat string "${name}"; known compat strings: ${compats.join(', ')}; ids: ${abis.map((a) => a.id).join(', ')}`);
    }
    for (const a of hits) chosen.add(a);
  }
  return abis.filter((a) => chosen.has(a));
}

/** Look up a container header's structs by id (`kho-block`, `luo-flb`). */
export function getContainer(id: string): ContainerAbi {
  const c = containers.find((x) => x.id === id);
  if (!c) throw new UsageError(`unknown container "${id}"; known: ${containers.map((x) => x.id).join(', ')}`);
  return c;
}

/** A property of a container's flattened device tree, by node and name. */
export function containerFdtProperty(id: string, node: string, name: string): FdtPropertyDef {
  const p = getContainer(id).fdt.find((x) => x.node === node && x.name === name);
  if (!p) throw new Error(`container ${id} has no FDT property ${node}/${name}`);
  return p;
}

/** A struct of a container header by its C name. */
export function containerStruct(id: string, name: string): StructLayout {
  const s = getContainer(id).structs.find((x) => x.name === name);
  if (!s) throw new Error(`container ${id} has no struct ${name}`);
  return s;
}
