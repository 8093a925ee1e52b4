import {
  inUse,
  restructureFor,
  restructureValue,
  type OracleRoot,
  type OracleSlot,
  type RestructureStruct,
} from '../../bench/oracles.mjs';
import type { EncodeInput } from '../../src/codec/encode.js';
import type { PciAbi } from '../../src/registry.js';
import type { OracleDecoded } from './oracle-types.js';

const structs = new Map<string, RestructureStruct>();

function structFor(abi: PciAbi): RestructureStruct {
  let s = structs.get(abi.id);
  if (!s) structs.set(abi.id, (s = restructureFor(abi)));
  return s;
}

/** Decode a flat blob with a restructure Struct built from the id's StructLayouts; in-use entries only. */
export function restructureDecode(abi: PciAbi, bytes: Uint8Array): OracleDecoded {
  const parsed = structFor(abi).fromBuffer(bytes);
  const slots = parsed[abi.roles.devices.name] as OracleSlot[];
  const root: OracleRoot = {};
  for (const f of abi.root.fields) if (!f.flexible) root[f.name] = parsed[f.name] as number | bigint;
  return { root, devices: inUse(abi, root, slots) };
}

/** Encode `{ root, devices }` (no size, no extra) with restructure: the bytes our encode must produce. */
export function restructureEncode(abi: PciAbi, input: EncodeInput): Uint8Array {
  return structFor(abi).toBuffer(restructureValue(abi, input));
}
