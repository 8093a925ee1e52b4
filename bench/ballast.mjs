// GC pressure for the decode benchmark: a live JS heap of linked small objects, held while
// the contenders run, so every young-generation collection and promotion happens beside it.

/**
 * Allocate at least `mb` MB of live, reachable JS objects (a linked list of records with a
 * string and an array each); returns { heapMB, objects, release() }, heapMB being the whole
 * heap in use once they are built. The objects stay reachable until release().
 */
export function holdBallast(mb = 200) {
  let head = null;
  let count = 0;
  const target = mb * 1e6;
  const base = process.memoryUsage().heapUsed;
  while (process.memoryUsage().heapUsed - base < target) {
    for (let i = 0; i < 100_000; i++, count++) head = { id: count, label: `dev-${count}`, seen: [count, count + 1], next: head };
  }
  const heapMB = process.memoryUsage().heapUsed / 1e6;
  return {
    heapMB,
    objects: count,
    release() {
      head = null;
    },
    /** Touch the list so the engine cannot prove it dead. */
    get length() {
      let n = 0;
      for (let p = head; p; p = p.next) n++;
      return n;
    },
  };
}
