import { describe, expectTypeOf, it } from 'vitest';
import { decode, validate, type Column, type DeviceList } from '../../src/index.js';

describe('typed decoding', () => {
  it('gives each id its own root and device field names', () => {
    const slots = decode(new Uint8Array(8), 'pci-v2/flat8-max32');
    expectTypeOf(slots.root.max_nr_devices).toEqualTypeOf<number>();
    expectTypeOf(slots.root).not.toHaveProperty('version');
    expectTypeOf<NonNullable<ReturnType<typeof slots.devices.at>>['refcount']>().toEqualTypeOf<number>();

    const sorted = decode(new Uint8Array(16), 'pci-v1/flat8-max64');
    expectTypeOf(sorted.root.nr_devices).toEqualTypeOf<bigint>();
    expectTypeOf<NonNullable<ReturnType<typeof sorted.devices.at>>['reserved']>().toEqualTypeOf<number>();

    const block = decode(new Uint8Array(16), 'pci/blk16-v2');
    expectTypeOf(block.root.version).toEqualTypeOf<number>();
    expectTypeOf(block.root.devices).toEqualTypeOf<bigint>();
    expectTypeOf(block.devices).toMatchTypeOf<DeviceList | null>();
  });
});

describe('typed ids and devices', () => {
  it('has refcount only on ids whose pci_dev_ser has one', () => {
    const sorted = decode(new Uint8Array(16), 'pci-v1/flat8-max64');
    expectTypeOf<NonNullable<ReturnType<typeof sorted.devices.at>>>().not.toHaveProperty('refcount');
    const slots = decode(new Uint8Array(8), 'pci-v3/flat8-max32');
    expectTypeOf<NonNullable<ReturnType<typeof slots.devices.at>>>().toHaveProperty('refcount');
  });

  it('refuses a misspelled id literal (tsc checks the directives), and takes ids and compat strings known at run time', () => {
    const misspelled = () => {
      // @ts-expect-error: no such id
      decode(new Uint8Array(8), 'pci-v3/flat8-max3');
      // @ts-expect-error: no such id
      validate(new Uint8Array(8), 'pci-v9');
    };
    expectTypeOf(misspelled).toBeFunction();
    expectTypeOf(decode(new Uint8Array(8), 'pci-v3').abi).toBeString();
    expectTypeOf(decode(new ArrayBuffer(8), 'pci-v3/flat8-max32' as string).abi).toBeString();
  });
});

describe('typed columns', () => {
  it('names a column after each pci_dev_ser field of the id, and only those', () => {
    const slots = decode(new Uint8Array(8), 'pci-v2/flat8-max32').devices.columns();
    expectTypeOf(slots.refcount).toEqualTypeOf<Column>();
    expectTypeOf(slots).not.toHaveProperty('index');
    expectTypeOf(slots).not.toHaveProperty('address');
    const sorted = decode(new Uint8Array(16), 'pci-v1/flat8-max64').devices.columns();
    expectTypeOf(sorted.reserved).toEqualTypeOf<Column>();
    expectTypeOf(sorted).not.toHaveProperty('refcount');
  });
});
