import type { Parser } from 'binary-parser';
import { binaryParserFor, inUse, type OracleRoot, type OracleSlot } from '../../bench/oracles.mjs';
import type { PciAbi } from '../../src/registry.js';
import type { OracleDecoded } from './oracle-types.js';

const parsers = new Map<string, Parser>();

/** Decode a flat blob with a binary-parser Parser built from the id's StructLayouts; in-use entries only. */
export function binaryParserDecode(abi: PciAbi, bytes: Uint8Array): OracleDecoded {
  let parser = parsers.get(abi.id);
  if (!parser) parsers.set(abi.id, (parser = binaryParserFor(abi)));
  const parsed = parser.parse(bytes) as Record<string, unknown>;
  const slots = parsed[abi.roles.devices.name] as OracleSlot[];
  const root: OracleRoot = {};
  for (const f of abi.root.fields) if (!f.flexible) root[f.name] = parsed[f.name] as number | bigint;
  return { root, devices: inUse(abi, root, slots) };
}
