import { formatAddress } from '../pci-address.js';

/**
 * An in-use pci_dev_ser as decode hands it out: the base of the per-layout entry classes
 * (entry-reader.ts), which hold `index` and every field as own properties. `address` is
 * derived from domain and bdf, so it is formatted only when read.
 */
export abstract class DecodedDevice {
  declare readonly index: number;
  declare readonly domain: number;
  declare readonly bdf: number;

  /** `lspci -D` address (`%04x:%02x:%02x.%x`), formatted when read. */
  get address(): string {
    return formatAddress(this.domain, this.bdf);
  }

  /** The device as `decode --json` prints it: index, domain, bdf, address, then the other fields. */
  toJSON(): Record<string, number | string> {
    const { index, domain, bdf, ...rest } = this as unknown as Record<string, number>;
    return { index: index!, domain: domain!, bdf: bdf!, address: this.address, ...rest };
  }
}
