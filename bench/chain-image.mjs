// The pages of a KHO block chain for the image benchmarks, and the built CLI run on them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const MAX_RSS = fileURLToPath(new URL('./max-rss.mjs', import.meta.url));

/** Entries in one full 4 KiB pci/blk16-v1 block: the page less its 16-byte header, 8 bytes each. */
export const PER_BLOCK = (4096 - 16) / 8;

/**
 * The chain's pages as [physical address, bytes]: a pci/blk16-v1 root page at `root`, then
 * `blocks` full blocks `stride` apart from `firstBlock`, every entry in use (device n at
 * domain n >> 16, bdf n & 0xffff, refcount 1). One page buffer is reused: write it before
 * asking for the next.
 */
export function* chainPages({ root, blocks, firstBlock, stride }) {
  const page = Buffer.alloc(4096);
  page.writeUInt32LE(1, 0);
  page.writeUInt32LE(blocks * PER_BLOCK, 4);
  page.writeBigUInt64LE(BigInt(firstBlock), 8);
  yield [root, page];
  page.fill(0);
  for (let k = 0; k < blocks; k++) {
    const at = firstBlock + k * stride;
    page.writeBigUInt64LE(k + 1 < blocks ? BigInt(at + stride) : 0n, 0);
    page.writeBigUInt64LE(BigInt(PER_BLOCK), 8);
    for (let i = 0; i < PER_BLOCK; i++) {
      const n = k * PER_BLOCK + i;
      page.writeUInt32LE(n >>> 16, 16 + i * 8);
      page.writeUInt16LE(n & 0xffff, 20 + i * 8);
      page.writeUInt16LE(1, 22 + i * 8);
    }
    yield [at, page];
  }
}

/** Run the built CLI under bench/max-rss.mjs: wall ms, peak RSS MiB, exit code, stdout. */
export function runCli(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', MAX_RSS, CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rss = /maxrss-kib=(\d+)/.exec(r.stderr);
  if (!rss) throw new Error(`kho-abi ${args.join(' ')} failed: ${r.stderr}`);
  return { code: r.status, ms, mib: Number(rss[1]) / 1024, stdout: r.stdout };
}

/** `runs` runs of the built CLI that must each exit 0: the best wall ms and the highest peak RSS MiB. */
export function bestOf(runs, args) {
  const all = Array.from({ length: runs }, () => runCli(args));
  const failed = all.find((r) => r.code !== 0);
  if (failed) throw new Error(`kho-abi ${args.join(' ')}: exit ${failed.code}\n${failed.stdout.slice(0, 2000)}`);
  return { ms: Math.min(...all.map((r) => r.ms)), mib: Math.max(...all.map((r) => r.mib)) };
}
