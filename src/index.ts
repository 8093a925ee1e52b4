export { abis, containers, getAbi, getContainer, isAbiId } from './registry.js';
export type { AbiId, PciAbi, ContainerAbi, PciRoles } from './registry.js';
export { layoutStructs, declaration } from './layout/engine.js';
export type { StructLayout, FieldLayout, Gap } from './layout/engine.js';
export { layoutFingerprint } from './layout/fingerprint.js';
export { renderCStructs, renderCAsserts } from './layout/c-render.js';
export type { CRenderOptions } from './layout/c-render.js';
export { decode, DecodedBlob } from './codec/decode.js';
export type { DecodeOptions } from './codec/decode.js';
export { openMemoryImage, parseMemorySpec } from './memory/open-memory-image.js';
export type { MemorySpec } from './memory/open-memory-image.js';
export type { MemoryImage, MemoryRegion, PhysicalMemory } from './memory/memory-image.js';
export { readPciBlob } from './memory/read-pci-blob.js';
export { walkBlockChain } from './block-chain/walk-chain.js';
export type { BlockChain, BlockInfo, ChainFinding } from './block-chain/walk-chain.js';
export { encodeImage } from './block-chain/encode-image.js';
export type { ImageInput, ImageOptions } from './block-chain/encode-image.js';
export { readFlbTable } from './luo-flb/flb-table.js';
export type { FlbTable, FlbEntry, FlbFinding } from './luo-flb/flb-table.js';
export { inspectFlbTable } from './luo-flb/inspect-flb.js';
export type { FlbInspection, PciFlb, PciReading } from './luo-flb/inspect-flb.js';
export { encode, MAX_ENCODE_SIZE } from './codec/encode.js';
export type { EncodeInput, ExtraInput } from './codec/encode.js';
export { toJson, fromJson } from './codec/json.js';
export type { DecodedJson } from './codec/json.js';
export { DeviceList } from './codec/device-list.js';
export type { DeviceBase, Column } from './codec/device-list.js';
export type { RootOf, DeviceOf, ByteRun } from './codec/types.js';
export { formatAddress, parseAddress } from './pci-address.js';
export { BlobError, UsageError } from './errors.js';
export { validate, rules, rulesFor, ruleMetadata } from './validate/index.js';
export type { Finding, Rule, Severity, ValidationOptions, ValidationResult } from './validate/index.js';
export { detect } from './detect/detect.js';
export type { Candidate, Detection } from './detect/detect.js';
export { diffBlobs } from './blob-diff/diff-blobs.js';
export type { BlobDiff, DiffDevice } from './blob-diff/diff-blobs.js';
export type { RuleId } from './errors.js';
export type * from './schema/types.js';
export { parseHeader } from './header/parse-header.js';
export type { ParsedHeader, HeaderStruct, StaticAssertResult } from './header/types.js';
export { HeaderError } from './header/header-error.js';
export { abiDiff, abiDiffRange, abiSnapshot, headerSnapshot, loadSnapshot, parseSuppressions, ABI_DIFF_RULES } from './abi-diff/index.js';
export type { AbiDiffFinding, AbiDiffOptions, AbiSnapshot, HeaderDiff, RangeDiff } from './abi-diff/index.js';
export { compatOutcome, compatMatrix } from './compat/index.js';
export type { CompatOutcome, Outcome } from './compat/index.js';
export { convert } from './convert/convert.js';
export type { ConvertOptions, ConvertResult } from './convert/convert.js';
export { cAsserts } from './gen/c-asserts.js';
export { fuzz, DEFAULT_SEED as FUZZ_DEFAULT_SEED } from './fuzz/fuzz.js';
export type { FuzzOptions, FuzzReport, FuzzIdReport, FuzzFailure } from './fuzz/fuzz.js';
export type { FuzzCase } from './fuzz/fuzz-case.js';

import { getAbi } from './registry.js';
import type { StructLayout } from './layout/engine.js';

/** Every struct of an id (pci_ser, pci_dev_ser) with offsets and sizes. */
export function layout(abi: string): readonly StructLayout[] {
  return getAbi(abi).structs;
}
