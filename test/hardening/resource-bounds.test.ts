import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeImage } from '../../src/codec/encode-image.js';
import { ImageMemory } from '../../src/fuzz/image-memory.js';
import { longChainImage } from '../../src/fuzz/long-chain.js';
import { abis, getAbi } from '../../src/registry.js';
import { expectBounded, measure } from '../helpers/measure-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kho-abi-hard-'));

const small = join(dir, 'small.core');
const long = join(dir, 'long.core');
const cycle = join(dir, 'cycle.core');
const sparse = join(dir, 'sparse.raw');
const SPARSE_SIZE = 8 * 1024 ** 3;

beforeAll(() => {
  writeFileSync(small, encodeImage({ root: { version: 1, nr_devices: 0, devices: 0 } }, 'pci/blk16-v1'));
  writeFileSync(long, longChainImage(getAbi('pci/blk16-v1')).bytes);
  const devices = Array.from({ length: 1200 }, (_, i) => ({ index: i, domain: 0, bdf: i, refcount: 1 }));
  const img = encodeImage({ root: { version: 1, nr_devices: 1200, devices: 0 }, devices }, 'pci/blk16-v1');
  const mem = new ImageMemory(img);
  const head = 0x101000n;
  new DataView(img.buffer).setBigUint64(mem.offsetOf(head + 2n * 4096n)!, head + 4096n, true); // block 2 -> block 1
  writeFileSync(cycle, img);
  for (const a of abis) writeFileSync(join(dir, `hostile-${a.id.replace('/', '__')}.bin`), new Uint8Array(16).fill(0xff));
  writeFileSync(join(dir, 'one.bin'), Uint8Array.of(1));
  const fd = openSync(sparse, 'w');
  ftruncateSync(fd, SPARSE_SIZE);
  writeSync(fd, new Uint8Array(8).fill(0xff), 0, 8, 4 * 1024 ** 3); // a pci-v3 root at 4 GiB claiming 2^32-1 slots
  closeSync(fd);
  mkdirSync(join(dir, 'locked'), { mode: 0o755 });
  writeFileSync(join(dir, 'locked', 'secret.bin'), new Uint8Array(16));
  chmodSync(join(dir, 'locked', 'secret.bin'), 0o000);
});

describe('hostile input ends quickly, in bounded memory, with one clear message (built command)', () => {
  it.each(abis.map((a) => a.id))('%s: counts of 2^32-1 (0xff x 16)', async (id) => {
    const file = join(dir, `hostile-${id.replace('/', '__')}.bin`);
    const memory = getAbi(id).storage === 'block-chain' ? ['--memory', small] : [];
    expectBounded(await measure(['validate', file, '--abi', id, ...memory]), 1, /error\[(BLOB_TRUNCATED|NR_EXCEEDS_MAX|BLOCK_MISALIGNED|VERSION_MISMATCH|SKELETON_NOT_EMPTY)\]/);
  });

  it('a chain of 10,001 blocks', async () => {
    expectBounded(await measure(['validate', '--memory', long, '--root-pa', '0x100000', '--abi', 'pci/blk16-v1']), 1, /error\[BLOCK_CHAIN_TOO_LONG\]/);
  });

  it('a cycle in the chain', async () => {
    expectBounded(await measure(['decode', '--memory', cycle, '--root-pa', '0x100000', '--abi', 'pci/blk16-v1']), 1, /error\[BLOCK_CYCLE\]/);
  });

  it('/dev/zero', async () => {
    expectBounded(await measure(['decode', '/dev/zero', '--abi', 'pci-v3']), 2, /^kho-abi: error: \/dev\/zero: larger than 67108864 bytes \(--max-size\)/);
  });

  it('an endless standard input', async () => {
    expectBounded(await measure(['validate', '-', '--abi', 'pci-v3'], { endless: true }), 2, /^kho-abi: error: standard input: larger than 67108864 bytes/);
  });

  it('a directory', async () => {
    expectBounded(await measure(['decode', dir, '--abi', 'pci-v3']), 2, /is a directory, not a blob/);
  });

  it('a path through a file (ENOTDIR: unreadable even for root)', async () => {
    expectBounded(await measure(['decode', join(dir, 'one.bin', 'x'), '--abi', 'pci-v3']), 2, /^kho-abi: error: .*one\.bin\/x: no such file \(a component of the path is not a directory\)$/);
  });

  const nobody = (() => {
    try {
      execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', '0']);
      return true;
    } catch {
      return false;
    }
  })();
  // Tests run as root, for whom mode 000 does not deny reads: the command runs as nobody (uid 65534) instead.
  it.runIf(nobody)('a file without read permission (mode 000, read as uid 65534)', async () => {
    expectBounded(await measure(['decode', join(dir, 'locked', 'secret.bin'), '--abi', 'pci-v3'], { uid: 65534 }), 2, /^kho-abi: error: .*secret\.bin: permission denied$/);
  });

  it('a 1-byte file', async () => {
    expectBounded(await measure(['decode', join(dir, 'one.bin'), '--abi', 'pci-v3']), 1, /error\[BLOB_TRUNCATED\]/);
  });

  it('a sparse 8 GiB file given as a blob is refused by its size', async () => {
    expectBounded(await measure(['decode', sparse, '--abi', 'pci-v3']), 2, /larger than 67108864 bytes/);
  });

  it('a sparse 8 GiB raw image is read at offsets: a root at 4 GiB claiming 2^32-1 slots', async () => {
    expectBounded(await measure(['validate', '--memory', `${sparse}@0x0`, '--root-pa', '0x100000000', '--abi', 'pci-v3']), 1, /error\[BLOB_TRUNCATED\]/);
  });

  it('a sparse 8 GiB raw image: a zero block-layout root far into it', async () => {
    expectBounded(await measure(['validate', '--memory', `${sparse}@0x0`, '--root-pa', '0x1fffff000', '--abi', 'pci/blk16-v2']), 1, /error\[VERSION_MISMATCH\]/);
  });
});
