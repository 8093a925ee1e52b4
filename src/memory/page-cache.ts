import { readSync } from 'node:fs';

/** Bytes per cached page of an image file. */
export const CACHE_PAGE = 4096;

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
