import { blobBytes, type BlobBytes } from '../codec/blob-bytes.js';
import { abis, type AbiId, type PciAbi } from '../registry.js';
import { CheckContext, type ValidateOptions } from '../validate/context.js';
import { runRules } from '../validate/validate.js';
import { evidence } from './evidence.js';

/** An id the blob is consistent with, and why. */
export interface Candidate {
  readonly abi: AbiId;
  readonly reasons: readonly string[];
  /** How strongly the bytes point at this id; candidates come best first. */
  readonly score: number;
}

/** The ids a blob is consistent with, best first, and statements about ids its bytes cannot tell apart. */
export interface Detection {
  readonly candidates: readonly Candidate[];
  readonly notes: readonly string[];
}

/**
 * Which ids a blob is consistent with (no error finding under the id), best first, with reasons.
 * Block ids read their chain from `memory`; a function gives the bytes each id reads (a blob in
 * memory, whose extent depends on the id), null when there are none.
 */
export function detect(source: BlobBytes | ((abi: PciAbi) => Uint8Array | null), options: Pick<ValidateOptions, 'memory' | 'pageSize'> = {}): Detection {
  const candidates: Candidate[] = [];
  const blob = typeof source === 'function' ? undefined : blobBytes(source);
  for (const abi of abis) {
    const bytes = typeof source === 'function' ? source(abi) : blob!;
    if (!bytes) continue;
    const ctx = new CheckContext(abi, bytes, { maxPerRule: 1, ...options });
    const findings = runRules(ctx);
    if (findings.some((f) => f.severity === 'error')) continue;
    const e = evidence(ctx);
    const warnings = [...new Set(findings.map((f) => f.rule))];
    const reasons = warnings.length ? [...e.reasons, `with warnings: ${warnings.join(', ')}`] : e.reasons;
    candidates.push({ abi: abi.id, reasons, score: e.score - 2 * warnings.length });
  }
  candidates.sort((a, b) => b.score - a.score);
  return { candidates, notes: sameBytesNotes(candidates.map((c) => abis.find((a) => a.id === c.abi)!)) };
}

/** A statement for each group of candidates with identical bytes: only the compat string (or nothing) tells them apart. */
function sameBytesNotes(found: readonly PciAbi[]): string[] {
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const a of found) {
    if (seen.has(a.id)) continue;
    const group = [a, ...found.filter((b) => a.sharesBytes.includes(b.id))];
    group.forEach((g) => seen.add(g.id));
    if (group.length < 2) continue;
    const strings = [...new Set(group.map((g) => g.compatible))];
    const ids = group.map((g) => g.id).join(', ');
    notes.push(
      strings.length === group.length
        ? `${ids} lay out the same bytes: only the compat string (the LUO FLB entry name: ${strings.map((s) => `"${s}"`).join(', ')}) tells them apart`
        : `${ids} lay out the same bytes; the compat string (${strings.map((s) => `"${s}"`).join(', ')}) tells some apart, and ids sharing a string differ only in what refcount means`,
    );
  }
  return notes;
}
