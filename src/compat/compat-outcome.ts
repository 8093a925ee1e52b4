import { getAbi, abis, type AbiId, type PciAbi } from '../registry.js';
import { describeMisparse } from './misparse.js';

/** What happens to the preserved devices on a kexec from a kernel writing one layout to one reading another. */
export type Outcome = 'accepted' | 'dropped' | 'misparsed' | 'refused' | 'semantics';

/** The predicted outcome of one hand-over, with the reasons. */
export interface CompatOutcome {
  readonly from: AbiId;
  readonly to: AbiId;
  readonly outcome: Outcome;
  readonly summary: string;
  readonly details: readonly string[];
}

const hierarchical = (a: PciAbi) => a.semantics === 'slots-hier';

/** Same string and bytes, different meaning: what the reader does with the writer's entries. */
function semantics(writer: PciAbi, reader: PciAbi): string[] {
  if (hierarchical(writer) && reader.semantics === 'slots') {
    return [
      'the writer counts preserved devices below each bridge in refcount (bridges > 1); the reader expects exactly 1 per in-use entry',
      'the reader refuses to finish an entry whose refcount is not 1: bridges with more than one preserved device below them stay "incoming" forever',
    ];
  }
  if (writer.semantics === 'slots' && hierarchical(reader)) {
    return [
      'the writer records endpoints only (refcount 1) and no upstream bridges; the reader expects every preserved device\'s upstream bridges in the table',
      'bridges above preserved endpoints are not treated as preserved by the reader',
    ];
  }
  if (writer.semantics === 'skeleton' || reader.semantics === 'skeleton') {
    return ['one side is the FLB skeleton (no device ever written): the hand-over carries no devices'];
  }
  return [`entries written as "${writer.semantics}" are read as "${reader.semantics}"`];
}

/**
 * Predict a kexec from a kernel writing `from` to one reading `to`, from the recorded reader
 * behaviour: the FLB is found by exact compat string; blk16 readers demand the exact version.
 */
export function compatOutcome(from: string, to: string): CompatOutcome {
  const w = getAbi(from);
  const r = getAbi(to);
  const base = { from: w.id, to: r.id };
  if (w.compatible !== r.compatible) {
    return {
      ...base,
      outcome: 'dropped',
      summary: `devices silently dropped: the reader looks up the FLB "${r.compatible}", the writer registered "${w.compatible}"`,
      details: ['no FLB matches the reader\'s compat string, so it behaves as if nothing was preserved (v4-v7 log "no incoming FLB matched"; v8+ say nothing)'],
    };
  }
  if (w.id === r.id) return { ...base, outcome: 'accepted', summary: 'accepted: same compat string, layout and semantics', details: [] };
  if (w.fingerprint !== r.fingerprint) {
    return {
      ...base,
      outcome: 'misparsed',
      summary: `misparsed: both use "${w.compatible}" but lay the bytes out differently`,
      details: describeMisparse(w, r),
    };
  }
  if (w.version !== r.version) {
    return {
      ...base,
      outcome: 'refused',
      summary: `refused: version ${w.version} in the blob, the reader demands exactly ${r.version} (panic)`,
      details: ['the reader compares pci_ser.version with its compiled PCI_LUO_FLB_VERSION and panics on a mismatch (v8 via the failed get, v9 directly)'],
    };
  }
  if (w.semantics === r.semantics) return { ...base, outcome: 'accepted', summary: 'accepted: same compat string, bytes and semantics', details: [] };
  return {
    ...base,
    outcome: 'semantics',
    summary: `same string and bytes, different semantics: ${w.semantics} written, ${r.semantics} read`,
    details: semantics(w, r),
  };
}

/** The outcome of every writer/reader pair of the given ids (default: the registry), rows = writer, columns = reader. */
export function compatMatrix(ids: readonly PciAbi[] = abis): CompatOutcome[][] {
  return ids.map((w) => ids.map((r) => compatOutcome(w.id, r.id)));
}
