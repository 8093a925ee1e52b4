import type { Rule } from '../rule.js';
import { blobTruncated } from './blob-truncated.js';
import { blockChainTooLong } from './block-chain-too-long.js';
import { blockCountInvalid } from './block-count-invalid.js';
import { blockCycle } from './block-cycle.js';
import { blockMisaligned } from './block-misaligned.js';
import { blockNotDense } from './block-not-dense.js';
import { blockUnresolved } from './block-unresolved.js';
import { chainNotChecked } from './chain-not-checked.js';
import { devicesNull } from './devices-null.js';
import { duplicateDevice } from './duplicate-device.js';
import { entriesUnsorted } from './entries-unsorted.js';
import { freeSlotNonzero } from './free-slot-nonzero.js';
import { nrExceedsMax } from './nr-exceeds-max.js';
import { nrMismatch } from './nr-mismatch.js';
import { refcountNotOne } from './refcount-not-one.js';
import { reservedNonzero } from './reserved-nonzero.js';
import { skeletonNotEmpty } from './skeleton-not-empty.js';
import { trailingNonzero } from './trailing-nonzero.js';
import { versionMismatch } from './version-mismatch.js';

/** Every validation rule, in the order reports list them. */
export const rules: readonly Rule[] = [
  blobTruncated,
  nrExceedsMax,
  entriesUnsorted,
  duplicateDevice,
  nrMismatch,
  refcountNotOne,
  skeletonNotEmpty,
  freeSlotNonzero,
  reservedNonzero,
  trailingNonzero,
  versionMismatch,
  devicesNull,
  blockUnresolved,
  blockMisaligned,
  blockCycle,
  blockChainTooLong,
  blockCountInvalid,
  blockNotDense,
  chainNotChecked,
];
