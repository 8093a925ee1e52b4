import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { describeFsError } from '../io/read-input.js';
import type { Btf } from './btf.js';
import { MAX_BTF_SIZE } from './btf-kinds.js';
import { bytesSource, type ByteSource } from './byte-source.js';
import { readBtfSource } from './read-btf.js';


function fileSource(fd: number, size: number): ByteSource {
  return {
    size,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = new Uint8Array(n);
      let done = 0;
      while (done < n) {
        const got = readSync(fd, buf, done, n - done, offset + done);
        if (got === 0) break;
        done += got;
      }
      return done === n ? buf : buf.subarray(0, done);
    },
  };
}

function readStream(fd: number, path: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = new Uint8Array(1 << 20);
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    total += n;
    if (total > MAX_BTF_SIZE) throw new UsageError(`${path}: larger than ${MAX_BTF_SIZE >> 20} MiB, more than any BTF`);
    chunks.push(chunk.subarray(0, n));
  }
  return Buffer.concat(chunks, total);
}

/**
 * Read the BTF of a file: raw BTF (`/sys/kernel/btf/vmlinux`, a module's over `base`) or an
 * ELF with a `.BTF` section; an ELF is read at offsets (header, section table, .BTF only).
 */
export function readBtfFile(path: string, base?: Btf): Btf {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UsageError(describeFsError(e, path));
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UsageError(`${path}: is a directory, not a BTF file`);
    const src = st.isFile() && st.size > 0 ? fileSource(fd, st.size) : bytesSource(readStream(fd, path));
    return readBtfSource(src, { file: path, ...(base ? { base } : {}) });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(describeFsError(e, path));
  } finally {
    closeSync(fd);
  }
}
