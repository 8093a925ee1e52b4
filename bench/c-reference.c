// C reference decoder for the benchmark: the kernel's own structs (__packed, little-endian
// host), one parse loop that reads every in-use entry's fields into arrays, as our
// decode + devices.columns() does. Usage: c-reference BLOB LAYOUT MIN_SECONDS [MODE]
//   LAYOUT: pci-v2/flat8-max32 (slots, refcount != 0 in use) or pci-v1/flat8-max64 (sorted).
//   MODE: reuse (default: every parse fills the same arrays), fresh (each parse callocs its
//   arrays and frees them after, as columns() without arrays to fill makes new ones), or
//   dump (one parse; writes the device count as a little-endian u64, then the domain, bdf
//   and refcount/reserved arrays as they are in memory, to stdout).
// Timing modes print one JSON line: {"ops":N,"seconds":S,"bytes":B,"devices":D}.
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

/* pci-v2/flat8-max32: include/linux/kho/abi/pci.h, v4-v6 02-05 */
struct pci_dev_ser_v2 { u32 domain; u16 bdf; u16 refcount; } __attribute__((packed));
struct pci_ser_v2 { u32 max_nr_devices; u32 nr_devices; struct pci_dev_ser_v2 devices[]; } __attribute__((packed));

/* pci-v1/flat8-max64: include/linux/kho/abi/pci.h, v2 */
struct pci_dev_ser_v1 { u32 domain; u16 bdf; u16 reserved; } __attribute__((packed));
struct pci_ser_v1 { u64 max_nr_devices; u64 nr_devices; struct pci_dev_ser_v1 devices[]; } __attribute__((packed));

struct columns { u32 *domain; u16 *bdf; u16 *extra; };

/* Slots: every slot of devices[0..max) whose refcount != 0; -1 when the blob is short. */
static long parse_v2(const unsigned char *buf, size_t len, struct columns *out)
{
	const struct pci_ser_v2 *ser = (const void *)buf;
	if (len < sizeof(*ser) || (len - sizeof(*ser)) / sizeof(ser->devices[0]) < ser->max_nr_devices)
		return -1;
	long n = 0;
	for (u32 i = 0; i < ser->max_nr_devices; i++) {
		const struct pci_dev_ser_v2 *d = &ser->devices[i];
		if (!d->refcount)
			continue;
		out->domain[n] = d->domain;
		out->bdf[n] = d->bdf;
		out->extra[n] = d->refcount;
		n++;
	}
	return n;
}

/* Sorted: devices[0..nr) with room for max(nr, max); -1 when the blob is short. */
static long parse_v1(const unsigned char *buf, size_t len, struct columns *out)
{
	const struct pci_ser_v1 *ser = (const void *)buf;
	if (len < sizeof(*ser))
		return -1;
	u64 slots = ser->nr_devices > ser->max_nr_devices ? ser->nr_devices : ser->max_nr_devices;
	if ((len - sizeof(*ser)) / sizeof(ser->devices[0]) < slots)
		return -1;
	for (u64 i = 0; i < ser->nr_devices; i++) {
		out->domain[i] = ser->devices[i].domain;
		out->bdf[i] = ser->devices[i].bdf;
		out->extra[i] = ser->devices[i].reserved;
	}
	return (long)ser->nr_devices;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *mode = argc == 5 ? argv[4] : "reuse";
	int fresh = !strcmp(mode, "fresh"), dump = !strcmp(mode, "dump");
	if ((argc != 4 && argc != 5) || (!fresh && !dump && strcmp(mode, "reuse"))) {
		fprintf(stderr, "usage: %s BLOB LAYOUT MIN_SECONDS [reuse|fresh|dump]\n", argv[0]);
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) { perror(argv[1]); return 2; }
	fseek(f, 0, SEEK_END);
	size_t len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *buf = malloc(len ? len : 1);
	if (!buf || fread(buf, 1, len, f) != len) { perror("read"); return 2; }
	fclose(f);
	long (*parse)(const unsigned char *, size_t, struct columns *);
	if (!strcmp(argv[2], "pci-v2/flat8-max32")) parse = parse_v2;
	else if (!strcmp(argv[2], "pci-v1/flat8-max64")) parse = parse_v1;
	else { fprintf(stderr, "unknown layout %s\n", argv[2]); return 2; }
	size_t cap = len / 8 + 1;
	struct columns out = { malloc(cap * 4), malloc(cap * 2), malloc(cap * 2) };
	double min_seconds = atof(argv[3]);
	volatile u64 sink = 0;
	long n = parse(buf, len, &out); /* warm-up */
	if (n < 0) { fprintf(stderr, "blob truncated\n"); return 1; }
	if (dump) {
		u64 count = (u64)n;
		fwrite(&count, sizeof(count), 1, stdout);
		fwrite(out.domain, 4, (size_t)n, stdout);
		fwrite(out.bdf, 2, (size_t)n, stdout);
		fwrite(out.extra, 2, (size_t)n, stdout);
		return ferror(stdout) ? 2 : 0;
	}
	long ops = 0, batch = 1;
	double start = now(), elapsed;
	do {
		for (long j = 0; j < batch; j++) {
			if (fresh) {
				free(out.domain); free(out.bdf); free(out.extra);
				out = (struct columns){ calloc(cap, 4), calloc(cap, 2), calloc(cap, 2) };
			}
			n = parse(buf, len, &out);
			long last = n ? n - 1 : 0;
			sink += (u64)n + out.domain[last] + out.bdf[last] + out.extra[last];
		}
		ops += batch;
		elapsed = now() - start;
		if (elapsed < min_seconds / 16)
			batch *= 2;
	} while (elapsed < min_seconds || ops < 3);
	printf("{\"ops\":%ld,\"seconds\":%.9f,\"bytes\":%zu,\"devices\":%ld}\n", ops, elapsed, len, n);
	return sink == 42 ? 3 : 0;
}
