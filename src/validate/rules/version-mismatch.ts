import { NONE, type Rule } from '../rule.js';

/** VERSION_MISMATCH: pci_ser.version equals the id's PCI_LUO_FLB_VERSION (readers demand equality). */
export const versionMismatch: Rule = {
  id: 'VERSION_MISMATCH',
  severity: 'error',
  doc: 'pci_ser.version equals the PCI_LUO_FLB_VERSION of the id (the reader accepts nothing else).',
  appliesTo: (abi) => abi.version !== undefined,
  check(ctx) {
    const field = ctx.abi.roles.version!;
    const value = ctx.version;
    if (value === undefined || Number(value) === ctx.abi.version) return NONE;
    return [{ offset: field.offset, length: field.size, message: `version = ${value}; ${ctx.abi.id} has PCI_LUO_FLB_VERSION ${ctx.abi.version} and its reader panics on any other` }];
  },
};
