import { encodeImage } from '../codec/encode-image.js';
import { decode, type DecodeOptions } from '../codec/decode.js';
import { encode } from '../codec/encode.js';
import { toJson } from '../codec/json.js';
import { BlobError } from '../errors.js';
import { readPciBlob } from '../codec/read-pci-blob.js';
import { getAbi } from '../registry.js';
import type { Finding } from '../findings.js';
import { rules } from '../validate/rules/index.js';
import { validate } from '../validate/validate.js';
import type { FuzzCase } from './fuzz-case.js';
import { ImageMemory } from './image-memory.js';

/** What checking one case found: the broken property (if any) and the validator's findings. */
export interface CaseVerdict {
  readonly problem?: string;
  readonly findings: readonly Finding[];
}

const severityOf = new Map<string, string>(rules.map((r) => [r.id, r.severity]));

/** What is wrong with a finding's shape (rule id from the known set, its severity, a message, sane offsets), if anything. */
function untyped(f: Finding): string | undefined {
  if (!severityOf.has(f.rule)) return `finding with unknown rule ${JSON.stringify(f.rule)}`;
  if (f.severity !== severityOf.get(f.rule)) return `${f.rule} reported as ${f.severity}`;
  if (typeof f.message !== 'string' || f.message.length === 0) return `${f.rule} without a message`;
  for (const key of ['offset', 'length', 'index'] as const) {
    const v = f[key];
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= 0)) return `${f.rule} with ${key} ${v}`;
  }
  return undefined;
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function sameBytes(a: Uint8Array, b: Uint8Array): string | undefined {
  if (a.length !== b.length) return `${a.length} bytes came back as ${b.length}`;
  const at = a.findIndex((x, i) => x !== b[i]);
  return at < 0 ? undefined : `byte ${at} came back as 0x${b[at]!.toString(16)} (was 0x${a[at]!.toString(16)})`;
}

/** decode → JSON text → encode (through the image encoder for block layouts), compared with the input. */
function roundTrip(c: FuzzCase, root: Uint8Array, opts: DecodeOptions): string | undefined {
  const json = JSON.parse(JSON.stringify(toJson(decode(root, c.abi, opts))));
  const back = c.image ? encodeImage(json, c.abi) : encode(json, c.abi);
  const diff = sameBytes(c.image ? c.bytes : root, back);
  return diff && `round trip: ${diff}`;
}

/**
 * Check one case against the fuzz properties: validate never throws and every finding is
 * typed; targeted cases carry their rule; valid cases have no error and round-trip byte for
 * byte; whatever decode accepts under a flat id round-trips too; decode throws only BlobError.
 */
export function checkCase(c: FuzzCase): CaseVerdict {
  const abi = getAbi(c.abi);
  let root: Uint8Array = c.bytes;
  let opts: DecodeOptions = {};
  if (c.image) {
    const memory = new ImageMemory(c.bytes);
    const read = readPciBlob(memory, c.image.rootAddress, abi);
    if (!read) return { problem: `struct pci_ser at 0x${c.image.rootAddress.toString(16)} is not in the image`, findings: [] };
    root = read;
    opts = { memory, pageSize: c.image.pageSize, rootAddress: c.image.rootAddress };
  }
  let findings: readonly Finding[];
  try {
    const result = validate(root, c.abi, { ...opts, maxPerRule: 4 });
    findings = result.findings;
    if (result.valid !== !findings.some((f) => f.severity === 'error')) return { problem: `valid = ${result.valid} disagrees with the findings`, findings };
  } catch (e) {
    return { problem: `validate threw ${describe(e)}`, findings: [] };
  }
  for (const f of findings) {
    const bad = untyped(f);
    if (bad) return { problem: bad, findings };
  }
  const found = new Set(findings.map((f) => f.rule));
  const missing = c.expect.find((r) => !found.has(r));
  if (missing) return { problem: `expected ${missing}, found ${[...found].join(', ') || 'nothing'}`, findings };
  const errors = findings.filter((f) => f.severity === 'error');
  if (c.valid && errors.length) return { problem: `a valid blob has ${errors[0]!.rule}: ${errors[0]!.message}`, findings };
  try {
    if (c.valid || (!c.image && abi.storage === 'inline')) {
      const problem = roundTrip(c, root, opts);
      if (problem) return { problem, findings };
    } else decode(root, c.abi, opts);
  } catch (e) {
    if (!(e instanceof BlobError) || c.valid) return { problem: `decode/encode threw ${describe(e)}`, findings };
  }
  return { findings };
}
