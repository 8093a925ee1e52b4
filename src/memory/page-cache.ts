import { closeSync, constants, openSync, readSync } from 'node:fs';

/** Bytes per cached page of an image file. */
export const CACHE_PAGE = 4096;
/**
 * Reads of at least this many bytes (a discovery scan) bypass the kernel's page cache: a
 * sparse many-GiB image read through it would first fill the cache with zero pages.
 */
const DIRECT_MIN = 1 << 20;

/** The bytes of an image file, read at offsets: a file's page cache, or a flattened stream's index over one. */
export interface ImageFile {
  /** Bytes in the file. */
  readonly size: number;
  /** Copy file bytes [offset, offset + dest.length) into dest; the range must lie in the file. */
  readInto(offset: number, dest: Uint8Array): void;
}

/** The bytes of an image file, read at offsets: a file's page cache, or a flattened stream's index over one. */
export interface ImageFile {
  /** Bytes in the file. */
  readonly size: number;
  /** Copy file bytes [offset, offset + dest.length) into dest; the range must lie in the file. */
  readInto(offset: number, dest: Uint8Array): void;
}

/**
 * A least-recently-used cache of fixed-size pages of one open file, read with
 * positioned reads: an image is never read whole.
 */
export class PageCache implements ImageFile {
  private readonly pages = new Map<number, Uint8Array>();

  constructor(
    private readonly fd: number,
    /** Bytes in the file. */
    readonly size: number,
    private readonly capacity = 256,
  ) {}

  /** Copy file bytes [offset, offset + dest.length) into dest; the range must lie in the file. */
  readInto(offset: number, dest: Uint8Array): void {
    if (dest.length >= DIRECT_MIN && readDirect(this.fd, dest, offset)) return;
    if (dest.length >= CACHE_PAGE) {
      readFully(this.fd, dest, offset);
      return;
    }
    let done = 0;
    while (done < dest.length) {
      const at = offset + done;
      const page = this.page(Math.floor(at / CACHE_PAGE));
      const from = at % CACHE_PAGE;
      const n = Math.min(dest.length - done, page.length - from);
      dest.set(page.subarray(from, from + n), done);
      done += n;
    }
  }

  private page(no: number): Uint8Array {
    const hit = this.pages.get(no);
    if (hit) {
      this.pages.delete(no);
      this.pages.set(no, hit);
      return hit;
    }
    const start = no * CACHE_PAGE;
    const page = new Uint8Array(Math.min(CACHE_PAGE, this.size - start));
    readFully(this.fd, page, start);
    if (this.pages.size >= this.capacity) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(no, page);
    return page;
  }
}

function readFully(fd: number, dest: Uint8Array, offset: number): void {
  let done = 0;
  while (done < dest.length) {
    const n = readSync(fd, dest, done, dest.length - done, offset + done);
    if (n === 0) throw new Error(`short read at file offset ${offset + done}`);
    done += n;
  }
}

/**
 * Read with O_DIRECT through a second descriptor of the same file (Linux /proc/self/fd);
 * false, with nothing promised about dest, when the file system, the alignment or the
 * platform does not allow it.
 */
function readDirect(fd: number, dest: Uint8Array, offset: number): boolean {
  if (offset % CACHE_PAGE || dest.length % CACHE_PAGE || dest.byteOffset % CACHE_PAGE || constants.O_DIRECT === undefined) return false;
  let direct: number;
  try {
    direct = openSync(`/proc/self/fd/${fd}`, constants.O_RDONLY | constants.O_DIRECT);
  } catch {
    return false;
  }
  try {
    readFully(direct, dest, offset);
    return true;
  } catch {
    return false;
  } finally {
    closeSync(direct);
  }
}
