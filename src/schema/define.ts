import type { ContainerAbiDef, FdtPropertyDef, FieldDef, IntType, PciAbiDef, StructDef } from './types.js';

/** Declare one layout of include/linux/kho/abi/pci.h (literal types kept for typed decoding). */
export function definePciAbi<const D extends Omit<PciAbiDef, 'kind'>>(def: D): D & { readonly kind: 'pci' } {
  return { ...def, kind: 'pci' } as D & { readonly kind: 'pci' };
}

/** Declare the structs of a KHO container header (block.h, luo.h). */
export function defineContainer<const D extends Omit<ContainerAbiDef, 'kind'>>(
  def: D,
): D & { readonly kind: 'container' } {
  return { ...def, kind: 'container' } as D & { readonly kind: 'container' };
}

/** `struct NAME { ... } [__packed]`. */
export function struct<const N extends string, const F extends readonly FieldDef[]>(
  name: N,
  attrs: { packed?: boolean; aligned?: number; doc?: string },
  fields: F,
): StructDef & { readonly name: N; readonly fields: F } {
  return { name, ...attrs, fields };
}

type Extra = Omit<FieldDef, 'name' | 'type'>;

function scalar<const T extends IntType>(type: T) {
  return <const N extends string>(name: N, doc?: string, extra: Extra = {}) =>
    ({ name, type, ...(doc === undefined ? {} : { doc }), ...extra }) as const;
}

export const u8 = scalar('u8');
export const u16 = scalar('u16');
export const u32 = scalar('u32');
export const u64 = scalar('u64');

/** A u64 that holds a physical address. */
export function phys<const N extends string>(name: N, doc?: string) {
  return u64(name, doc, { address: true });
}

/** `char NAME[count]`. */
export function chars<const N extends string>(name: N, count: number, doc?: string) {
  return { name, type: 'char', count, ...(doc === undefined ? {} : { doc }) } as const;
}

/** `struct TYPE NAME[]`: a flexible array member. */
export function flex<const N extends string, const S extends string>(name: N, of: S, doc?: string) {
  return { name, type: `struct ${of}` as const, flexible: true, ...(doc === undefined ? {} : { doc }) } as const;
}

/** A property of a flattened device tree: `node` '' is the root, '*' every subnode. */
export function fdtProperty<const N extends string>(node: string, name: N, type: FdtPropertyDef['type'], doc: string) {
  return { node, name, type, doc } as const;
}
