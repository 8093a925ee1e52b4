// Decode and encode on the paths users take, beside binary-parser, restructure and the C reference:
// every contender of a group measured in turn, round after round; medians and round-by-round ratios.
// Standalone: node bench/codec-bench.mjs [--smoke] (after npm run build).
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode, encode, fromJson, getAbi, toJson } from '../dist/index.js';
import { holdBallast } from './ballast.mjs';
import { benchInput } from './inputs.mjs';
import { compileCReference, measure, measureC, median, medianRatio, sideBySide } from './measure.mjs';
import { binaryParserFor, restructureFor, restructureValue } from './oracles.mjs';
import { RATE_HEADER, check, rate, runIfMain } from './report.mjs';

const IDS = ['pci-v2/flat8-max32', 'pci-v1/flat8-max64'];
const SIZES = [16, 1_000_000];
const BALLAST_MB = 200;

/** Reads every pci_dev_ser field of every device through the public iterator, as a user does. */
function readAll(abi) {
  const [a, b, c] = abi.entry.fields.map((f) => f.name);
  return (bytes) => {
    let s = 0;
    for (const d of decode(bytes, abi.id).devices) s += d[a] + d[b] + d[c];
    return s;
  };
}

/**
 * The device object shapes encode is handed, the library's own and the plain ones users
 * build: each a builder, so only the shape being measured is alive (a heap holding all of
 * them would make the later contenders pay for collecting the earlier ones). Each names
 * the plain shape carrying the same keys, which it is measured against.
 */
function deviceShapes(abi, bytes) {
  const d = () => decode(bytes, abi.id);
  const plain = () => benchInput(abi, d().devices.length);
  const strip = (key) => {
    const { root, devices } = plain();
    return { root, devices: devices.map((dev) => Object.fromEntries(Object.entries(dev).filter(([k]) => k !== key))) };
  };
  const PLAIN = 'plain { index, domain, bdf, … }';
  const ADDRESSED = 'plain { index, domain, bdf, address, … }';
  return {
    'decoded devices (DeviceList)': { build: () => ({ root: d().root, devices: d().devices }), same: PLAIN },
    'decoded devices (toArray)': { build: () => ({ root: d().root, devices: d().devices.toArray() }), same: PLAIN },
    'toJson() devices': { build: () => toJson(d()), same: ADDRESSED },
    'JSON.parse of decode --json': { build: () => fromJson(jsonOf(bytes, abi.id), abi.id), same: ADDRESSED },
    [PLAIN]: { build: plain, same: PLAIN },
    'plain { domain, bdf, … } (no index)': { build: () => strip('index'), same: PLAIN },
    [ADDRESSED]: { build: () => ({ root: d().root, devices: toJson(d()).devices.map((dev) => ({ ...dev })) }), same: ADDRESSED },
  };
}

/**
 * Typed arrays for columns(into) to fill, one per pci_dev_ser field and of its type, with a
 * row for every entry the blob can hold, as the C reference allocates its arrays.
 */
function lentColumns(bytes, id) {
  const rows = Math.floor(bytes.length / getAbi(id).entry.size) + 1;
  return Object.fromEntries(Object.entries(decode(bytes, id).devices.columns()).map(([name, column]) => [name, new column.constructor(rows)]));
}

/** The rows of every column, so the columns are used. */
const columnsLength = (columns) => Object.values(columns).reduce((s, c) => s + c.length, 0);

/** The decode --json text of a blob, parsed with JSON.parse. */
const jsonOf = (bytes, id) => JSON.parse(JSON.stringify(toJson(decode(bytes, id))));

/** A full collection between groups when node runs with --expose-gc (npm run bench does). */
const collect = () => globalThis.gc?.();

/** Run the codec suite; resolves to its section of the report. */
export async function codecBench({ smoke = false, log = (s) => process.stderr.write(`${s}\n`) } = {}) {
  const rounds = smoke ? 1 : 5;
  const minSeconds = smoke ? 0.02 : 0.3;
  const cRef = compileCReference(fileURLToPath(new URL('./c-reference.c', import.meta.url)));
  const rows = [];
  const checks = [];
  const add = (id, n, bytes, name, rates, vs = '') => {
    const r = median(rates.filter((x) => x !== null));
    rows.push([id, n.toLocaleString('en-US'), name, rates.some((x) => x === null) ? 'skipped' : rate((bytes * r) / 1e6), rates.some((x) => x === null) ? '' : rate(r), vs]);
  };
  try {
    for (const id of IDS) {
      const abi = getAbi(id);
      const parser = binaryParserFor(abi);
      const struct = restructureFor(abi);
      for (const n of SIZES) {
        const big = n >= 100_000;
        const bytes = encode(benchInput(abi, n), id);
        const box = (fn) => () => measure(fn, { minSeconds, minOps: smoke && big ? 1 : 3 });
        const where = `${id}, ${n.toLocaleString('en-US')} entries`;
        log(`  codec ${where}: decode`);

        const ballast = big ? holdBallast(BALLAST_MB) : null;
        collect();
        const read = readAll(abi);
        const pressed = sideBySide({
          bp: box(() => parser.parse(bytes).devices.length),
          iter: box(() => read(bytes)),
        }, rounds);
        const heap = ballast ? `${ballast.heapMB.toFixed(0)} MB heap held` : '';
        if (ballast && ballast.length !== ballast.objects) throw new Error('the ballast must stay alive');
        ballast?.release();
        collect();
        const lent = lentColumns(bytes, id);
        const dec = sideBySide({
          lazy: box(() => decode(bytes, id).slots),
          columns: box(() => columnsLength(decode(bytes, id).devices.columns())),
          cFresh: cRef.exe ? () => measureC(cRef.exe, cRef.dir, `${id}-${n}`, bytes, id, minSeconds, 'fresh') : null,
          lent: box(() => columnsLength(decode(bytes, id).devices.columns(lent))),
          c: cRef.exe ? () => measureC(cRef.exe, cRef.dir, `${id}-${n}`, bytes, id, minSeconds) : null,
        }, rounds);
        const iterVsBp = medianRatio(pressed.iter, pressed.bp);
        const freshVsC = medianRatio(dec.columns, dec.cFresh);
        const lentVsC = medianRatio(dec.lent, dec.c);
        add(id, n, bytes.length, `ours decode + every field (for-of)${heap ? ', GC pressure' : ''}`, pressed.iter, `${iterVsBp.toFixed(1)}x binary-parser`);
        add(id, n, bytes.length, `binary-parser decode${heap ? ', GC pressure' : ''}`, pressed.bp, heap);
        add(id, n, bytes.length, 'ours decode (lazy, nothing read)', dec.lazy);
        add(id, n, bytes.length, 'ours decode + columns(), new typed arrays', dec.columns, cRef.exe ? `${freshVsC.toFixed(2)}x C, new arrays` : '');
        if (cRef.exe) add(id, n, bytes.length, 'C reference (gcc -O2), new arrays per parse', dec.cFresh);
        add(id, n, bytes.length, 'ours decode + columns(lent), typed arrays kept', dec.lent, cRef.exe ? `${lentVsC.toFixed(2)}x C` : '');
        if (cRef.exe) add(id, n, bytes.length, 'C reference (gcc -O2), arrays kept', dec.c);
        if (big) {
          checks.push(check(`${where}: decode + every field through the iterator, ${BALLAST_MB} MB+ live heap held`, iterVsBp, 10, 'x binary-parser', smoke));
          if (cRef.exe) {
            checks.push(check(`${where}: decode + columns into typed arrays kept across parses`, lentVsC, 0.5, 'x the C reference', smoke));
            checks.push(check(`${where}: decode + columns into new typed arrays`, freshVsC, 0.5, 'x the C reference allocating per parse', smoke));
          }
        }

        log(`  codec ${where}: encode`);
        const shapes = deviceShapes(abi, bytes);
        /** A contender whose input is built (untimed) when its turn comes, and dropped after. */
        const withInput = (build, op) => () => {
          const value = build();
          collect();
          return box(() => op(value))();
        };
        const enc = sideBySide({
          rs: smoke && big ? null : withInput(() => restructureValue(abi, benchInput(abi, n)), (v) => struct.toBuffer(v).length),
          fresh: box(() => new Uint8Array(bytes.length).fill(1).length),
          roundTrip: box(() => encode(decode(bytes, id), id).length),
          fromJson: withInput(() => jsonOf(bytes, id), (json) => encode(fromJson(json, id), id).length),
          ...Object.fromEntries(Object.entries(shapes).map(([name, { build }]) => [name, withInput(build, (value) => encode(value, id).length)])),
        }, rounds);
        const rtVsRs = medianRatio(enc.roundTrip, enc.rs);
        const jsonVsRs = medianRatio(enc.fromJson, enc.rs);
        add(id, n, bytes.length, 'ours encode(decode(bytes))', enc.roundTrip, Number.isNaN(rtVsRs) ? '' : `${rtVsRs.toFixed(1)}x restructure`);
        add(id, n, bytes.length, 'ours fromJson + encode of JSON.parse(decode --json)', enc.fromJson, Number.isNaN(jsonVsRs) ? '' : `${jsonVsRs.toFixed(1)}x restructure`);
        add(id, n, bytes.length, 'restructure encode', enc.rs);
        add(id, n, bytes.length, 'a new Uint8Array of the blob\'s size, every byte written', enc.fresh, 'what any encode output costs before its bytes');
        // How much slower each shape is than the plain objects carrying the same keys (round by round).
        const slower = Object.fromEntries(Object.entries(shapes).map(([name, { same }]) => [name, medianRatio(enc[same], enc[name])]));
        const worst = Math.max(...Object.values(slower));
        for (const name of Object.keys(shapes)) add(id, n, bytes.length, `ours encode, devices: ${name}`, enc[name], name === shapes[name].same ? '' : `${slower[name].toFixed(2)}x the time of ${shapes[name].same}`);
        if (big) {
          checks.push(check(`${where}: encode(decode(bytes))`, rtVsRs, 50, 'x restructure', smoke));
          checks.push(check(`${where}: encode of decode --json parsed with JSON.parse (fromJson + encode)`, jsonVsRs, 20, 'x restructure', smoke));
          checks.push(check(`${where}: encode, the slowest device shape against plain objects with the same keys`, worst, 1.5, 'x', smoke, 'max'));
        }
      }
    }
  } finally {
    if (cRef.dir) rmSync(cRef.dir, { recursive: true, force: true });
  }
  return {
    title: 'Decode and encode',
    header: RATE_HEADER,
    rows,
    checks,
    notes: [
      'Blobs hold N in-use entries with ascending keys (no free slots); MB/s counts the whole blob.',
      `Side by side: each round measures every contender of a group in turn (warm-up, then at least ${minSeconds} s and ${smoke ? 1 : 3} runs); ${rounds} rounds; rates are medians, ratios the median of the round-by-round ratios.`,
      '"decode + every field (for-of)": `for (const d of decode(bytes, id).devices)` summing every pci_dev_ser field (domain, bdf, refcount or reserved): one object per entry, as a user reads them.',
      `GC pressure (1,000,000 entries): bench/ballast.mjs builds a linked list of small records (a string and a two-element array each) until heapUsed has grown by ${BALLAST_MB} MB, and holds it while "decode + every field" and binary-parser run side by side; the heap size is printed beside binary-parser. The other decode rows run after it is released.`,
      '"decode + columns": decode() plus devices.columns(), every pci_dev_ser field of every in-use entry copied into typed arrays (one pass over the entries). The C reference (bench/c-reference.c: the kernel structs, gcc -O2, its own clock_gettime loop on the same blob file) reads the same fields of the same entries into arrays. Two pairs: "new typed arrays" (columns() makes its arrays; the C reference callocs its arrays per parse and frees them after) and "typed arrays kept" (columns(lent) fills arrays made once with a row for every entry the blob can hold; the C reference fills arrays malloc\'d once, its default). New arrays of 4-8 MB cost page faults on both sides, which is most of their time here.',
      '"decode (lazy, nothing read)": decode() alone; a slot layout scans its refcounts when the devices are first asked for (length, iteration, at, column, columns).',
      'binary-parser and restructure are built from the registry StructLayouts (bench/oracles.mjs); binary-parser yields one object per slot.',
      'Encode inputs are built before timing, each when its contender\'s turn comes (and dropped after), with a full collection before timing when node runs with --expose-gc, as `npm run bench` does. "encode(decode(bytes))" times decode and encode. "fromJson + encode": the JSON text of toJson() parsed before timing, then fromJson (its key checks) and encode timed, as `kho-abi encode` does once it has parsed its input. "a new Uint8Array …, every byte written" is the floor of every encode row, measured in the same rounds: on this VM a page touched for the first time costs about 14 µs (3.5 ms a MiB), so the row shows whether the allocator handed back memory it kept (well under a millisecond) or fresh pages. The device shapes (encode alone): the DeviceList itself, its toArray() objects, toJson()\'s plain objects, the parsed decode --json objects (fromJson applied before timing), and plain objects built by a user with and without `index`, and with `address` (copies of toJson()\'s). Each shape is measured against the plain objects carrying the same keys (round by round): where a device came from must not slow it down. What a shape carries does: a given `address` is a second statement of domain and bdf, and encode compares its 12 characters with them (12–20 ns a device here, more than writing the device), so the shapes with an address are compared with plain objects with an address. The DeviceList is copied from its bytes, faster than any object.',
      ...(cRef.exe ? [] : [`C reference skipped: ${cRef.error}`]),
    ],
  };
}

await runIfMain(import.meta.url, codecBench);
