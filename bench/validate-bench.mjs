// Validation throughput: validate() with every rule of the id, beside binary-parser's plain decode.
// Standalone: node bench/validate-bench.mjs [--smoke] (after npm run build); npm run bench runs it too.
import { encode, getAbi, validate } from '../dist/index.js';
import { benchInput } from './inputs.mjs';
import { measure, median, medianRatio, sideBySide } from './measure.mjs';
import { binaryParserFor } from './oracles.mjs';
import { RATE_HEADER, check, rate, runIfMain } from './report.mjs';

const IDS = ['pci-v2/flat8-max32', 'pci-v1/flat8-max64'];
const SIZES = [16, 1_000_000];

/** The blob of benchInput with its in-use slots in a scrambled order (duplicate detection cannot lean on sorted keys). */
function shuffled(bytes, abi) {
  const out = bytes.slice();
  const base = abi.roles.devices.offset;
  const size = abi.entry.size;
  const n = (bytes.length - base) / size;
  let seed = 0x9e3779b9;
  for (let i = n - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    const j = seed % (i + 1);
    const a = base + i * size;
    const b = base + j * size;
    const tmp = out.slice(a, a + size);
    out.copyWithin(a, b, b + size);
    out.set(tmp, b);
  }
  return out;
}

/**
 * Measure validate() on the benchmark blobs: at 16 entries side by side with binary-parser's
 * plain decode (target >= 3x), at 1M entries alone (target >= 300 MB/s). Resolves to a report section.
 */
export async function validateBench({ smoke = false, log = (s) => process.stderr.write(`${s}\n`) } = {}) {
  const rows = [];
  const checks = [];
  const rounds = smoke ? 1 : 5;
  const opts = { minSeconds: smoke ? 0.02 : 0.3, minOps: smoke ? 1 : 3 };
  const mbs = (bytes, r) => rate((bytes * r) / 1e6);
  for (const id of IDS) {
    const abi = getAbi(id);
    const parser = binaryParserFor(abi);
    for (const n of SIZES) {
      const bytes = encode(benchInput(abi, n), id);
      const validating = (b) => () => measure(() => validate(b, id).findings.length + 1, opts);
      if (!validate(bytes, id).valid) throw new Error(`${id}: the benchmark blob must be valid`);
      const where = `${id}, ${n.toLocaleString('en-US')} entries`;
      log(`  validate ${where}`);
      if (n < 100_000) {
        const r = sideBySide({ validate: validating(bytes), bp: () => measure(() => parser.parse(bytes).devices.length, opts) }, rounds);
        const ratio = medianRatio(r.validate, r.bp);
        rows.push([id, n.toLocaleString('en-US'), 'ours validate (every rule)', mbs(bytes.length, median(r.validate)), rate(median(r.validate)), `${ratio.toFixed(2)}x binary-parser decode`]);
        rows.push([id, n.toLocaleString('en-US'), 'binary-parser decode', mbs(bytes.length, median(r.bp)), rate(median(r.bp)), '']);
        checks.push(check(`${where}: validate (every rule)`, ratio, 3, 'x binary-parser decode', smoke));
        continue;
      }
      const blobs = abi.semantics === 'sorted' ? [['', bytes]] : [['', bytes], [', slots shuffled', shuffled(bytes, abi)]];
      for (const [label, b] of blobs) {
        const r = median(sideBySide({ v: validating(b) }, rounds).v);
        rows.push([id, n.toLocaleString('en-US'), `ours validate (every rule${label})`, mbs(b.length, r), rate(r), '']);
        checks.push(check(`${where}${label}: validate (every rule)`, (b.length * r) / 1e6, 300, ' MB/s', smoke));
      }
    }
  }
  return {
    title: 'Validate',
    header: RATE_HEADER,
    rows,
    checks,
    notes: [
      '"ours validate" = validate(bytes, id) with every rule of the id, findings included; the blob is valid.',
      `16 entries: validate and binary-parser's plain decode of the same blob measured in turn, ${rounds} rounds; the ratio is the median of the round-by-round ratios.`,
      '"slots shuffled" scrambles the in-use slots so duplicate detection cannot lean on sorted keys.',
    ],
  };
}

await runIfMain(import.meta.url, validateBench);
