#!/usr/bin/env node
// Decode/encode throughput of our codec beside binary-parser, restructure and a C reference.
// Usage: npm run bench [-- --smoke] [-- --write BENCHMARKS.md]. Prints whether the targets are met; never fails on them.
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode, encode, getAbi } from '../dist/index.js';
import { blockChainBench, blockChainMarkdown } from '../bench/block-chain-bench.mjs';
import { btfBench } from '../bench/btf-bench.mjs';
import { benchInput } from '../bench/inputs.mjs';
import { compileCReference, measure, measureC } from '../bench/measure.mjs';
import { fuzzBench } from '../bench/fuzz-bench.mjs';
import { streamedTextBench, streamedTextMarkdown } from '../bench/streamed-text-bench.mjs';
import { binaryParserFor, restructureFor, restructureValue } from '../bench/oracles.mjs';
import { machine, markdown, tableRows, textTable } from '../bench/report.mjs';
import { validateBench } from '../bench/validate-bench.mjs';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const writeTo = args.includes('--write') ? args[args.indexOf('--write') + 1] : null;
if (args.includes('--write') && !writeTo) throw new Error('--write needs a file name');

const IDS = ['pci-v2/flat8-max32', 'pci-v1/flat8-max64'];
const SIZES = [16, 1_000_000];
const minSeconds = smoke ? 0.05 : 0.5;
const cRef = compileCReference(fileURLToPath(new URL('../bench/c-reference.c', import.meta.url)));
const results = [];
const verdicts = [];

function row(abi, n, bytes, name, fn, opts = {}) {
  const skip = opts.skip === true;
  const m = skip ? { ops: null, seconds: 0 } : fn();
  const r = { abi, n, bytes, row: name, ops: m.ops, seconds: m.seconds };
  results.push(r);
  process.stderr.write(`  ${abi} ${n} ${name}: ${skip ? 'skipped' : `${((bytes * m.ops) / m.seconds / 1e6).toFixed(1)} MB/s`}\n`);
  return r;
}

const rate = (r) => (r.ops === null ? NaN : r.ops / r.seconds);
const ratio = (a, b) => rate(a) / rate(b);

for (const id of IDS) {
  const abi = getAbi(id);
  const parser = binaryParserFor(abi);
  const struct = restructureFor(abi);
  const fields = abi.entry.fields.map((f) => f.name);
  for (const n of SIZES) {
    const input = benchInput(abi, n);
    const bytes = encode(input, id);
    const rsValue = restructureValue(abi, input);
    const big = n >= 100_000;
    const box = (fn, minOps = 3) => () => measure(fn, { minSeconds, minOps: smoke && big ? 1 : minOps });
    const slowSkip = smoke && big;
    const full = row(id, n, bytes.length, 'ours decode + columns', box(() => {
      const d = decode(bytes, id);
      let s = 0;
      for (const name of fields) s += d.devices.column(name).length;
      return s;
    }));
    row(id, n, bytes.length, 'ours decode (lazy)', box(() => decode(bytes, id).devices.length));
    const bp = row(id, n, bytes.length, 'binary-parser decode', box(() => parser.parse(bytes).devices.length));
    row(id, n, bytes.length, 'restructure decode', box(() => struct.fromBuffer(bytes).devices.length), { skip: slowSkip });
    const c = cRef.exe
      ? row(id, n, bytes.length, 'C reference decode (gcc -O2)', () => measureC(cRef.exe, cRef.dir, `${id}-${n}`, bytes, id, minSeconds))
      : null;
    const enc = row(id, n, bytes.length, 'ours encode', box(() => encode(input, id).length));
    const rs = row(id, n, bytes.length, 'restructure encode', box(() => struct.toBuffer(rsValue).length), { skip: slowSkip });
    full.vs = `${ratio(full, bp).toFixed(1)}x binary-parser` + (c ? `, ${(1 / ratio(full, c)).toFixed(1)}x slower than C` : '');
    enc.vs = rs.ops === null ? '' : `${ratio(enc, rs).toFixed(1)}x restructure`;
    if (big) {
      const d = ratio(full, bp);
      verdicts.push(`${id}, ${n.toLocaleString('en-US')} entries: decode ${d.toFixed(1)}x binary-parser (target >= 10x): ${d >= 10 ? 'MET' : 'MISSED'}`);
      const e = ratio(enc, rs);
      verdicts.push(Number.isNaN(e)
        ? `${id}, ${n.toLocaleString('en-US')} entries: encode vs restructure not measured (--smoke)`
        : `${id}, ${n.toLocaleString('en-US')} entries: encode ${e.toFixed(1)}x restructure (target >= 50x): ${e >= 50 ? 'MET' : 'MISSED'}`);
    }
  }
}
if (cRef.dir) rmSync(cRef.dir, { recursive: true, force: true });
const checked = await validateBench({ minSeconds, smoke });
results.push(...checked.results);
verdicts.push(...checked.verdicts);

const notes = [
  'Blobs hold N in-use entries with ascending keys (no free slots); MB/s counts the whole blob.',
  '"ours decode + columns" = decode() plus devices.column() of every pci_dev_ser field: an honest full decode. "lazy" is decode() alone.',
  'binary-parser and restructure parsers are built from the registry StructLayouts (bench/oracles.mjs); their decode yields one object per slot.',
  'Encode inputs (our { root, devices } and restructure\'s per-slot value) are built before timing.',
  `Each row: warm-up, then at least ${minSeconds} s and 3 runs${smoke ? ' (--smoke: 1 run of the 1M rows, restructure 1M rows skipped)' : ''}.`,
  '"ours validate" = validate() with every rule of the id (bench/validate-bench.mjs); its 16-entry ratio is to binary-parser decode measured alternately with it, best of 3; "slots shuffled" scrambles the slots so duplicate detection cannot use sorted keys.',
  cRef.exe ? 'C reference: bench/c-reference.c, the kernel structs, gcc -O2, its own clock_gettime loop on the same blob file.' : `C reference skipped: ${cRef.error}`,
];
const rows = tableRows(results);
const m = machine();
console.log(`\n${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.date}${smoke ? ' (smoke)' : ''}\n`);
console.log(textTable(rows));
console.log(`\n${verdicts.join('\n')}`);
const chainRows = await blockChainBench({ runs: smoke ? 1 : 3 });
console.log(`\n${chainRows.map((r) => `${r.name}: ${r.ms} ms, peak RSS ${r.peakMiB} MiB ${r.verdict}`).join('\n')}`);
const fuzzed = await fuzzBench({ smoke });
console.log(`\n${fuzzed.text}`);
const btf = await btfBench({ smoke });
console.log(`\n${btf.text}`);
const streamed = streamedTextBench();
console.log(`\n${streamed.map((r) => `${r.name}: ${r.seconds.toFixed(2)} s, peak RSS ${r.peakMiB} MiB`).join('\n')}`);
if (writeTo) {
  writeFileSync(writeTo, markdown(rows, verdicts, m, notes));
  appendFileSync(writeTo, blockChainMarkdown(chainRows));
  appendFileSync(writeTo, fuzzed.markdown);
  appendFileSync(writeTo, btf.markdown);
  appendFileSync(writeTo, streamedTextMarkdown(streamed));
  console.log(`\nwrote ${writeTo}`);
}
