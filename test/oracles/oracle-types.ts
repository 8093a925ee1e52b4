import type { OracleDevice, OracleRoot } from '../../bench/oracles.mjs';

/** What an oracle decodes: the root fields and the in-use entries with their storage index. */
export interface OracleDecoded {
  readonly root: OracleRoot;
  readonly devices: readonly OracleDevice[];
}
