import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeKdump } from './write-kdump.js';

const run = promisify(execFile);
const WRITE_KDUMP = fileURLToPath(new URL('../../fixtures/gen/write-kdump.c', import.meta.url));

/** Bytes to place in guest RAM at a physical address. */
export interface PlacedBytes {
  readonly pa: bigint;
  readonly bytes: Uint8Array;
}

/** The guests QEMU runs: a PC (x86-64, RAM at 0) and an arm64 `virt` board (RAM at 1 GiB). */
export type GuestArch = 'x86_64' | 'aarch64';

/** The images of one guest's RAM, each written by a real producer (or write-kdump.c, where none writes the format). */
export interface GuestImages {
  readonly arch: GuestArch;
  /** First and one-past-last physical address of guest RAM. */
  readonly ramStart: bigint;
  readonly ramEnd: bigint;
  /** QEMU `dump-guest-memory`: an ELF64 core (EM_386 on x86, whose vCPU never left real mode). */
  readonly elf: string;
  /** QEMU `dump-guest-memory -z`: kdump-zlib in makedumpfile's flattened form (QEMU 7.2). */
  readonly qemuFlattened: string;
  /** That stream reassembled by `makedumpfile -R`. */
  readonly qemuKdump: string;
  /** QEMU `pmemsave` of all RAM, as a `--memory` argument: `FILE@0xBASE`. */
  readonly raw: string;
  /**
   * kdump files by name: `makedumpfile-zlib` (-c -d 0), `makedumpfile-lzo` (-l -d 1),
   * `makedumpfile-lzo-flattened` (-F -l -d 1) on x86 (Debian's makedumpfile reads only
   * x86-64 vmcores); `snappy` and `zstd` from write-kdump.c with libsnappy and libzstd
   * (block size 4 KiB on x86, 64 KiB on arm64), because no producer here writes them.
   */
  readonly kdump: Readonly<Record<string, string>>;
  /** How long making the images took (0 when they came from the cache). */
  readonly seconds: number;
}

/** Every image of a guest, by what the tests call it. */
export function imageFiles(g: GuestImages): Array<[string, string]> {
  return [
    ['QEMU ELF', g.elf],
    ['QEMU kdump-zlib (flattened)', g.qemuFlattened],
    ['QEMU kdump-zlib (makedumpfile -R)', g.qemuKdump],
    ['QEMU pmemsave (raw)', g.raw],
    ...Object.entries(g.kdump),
  ];
}

const RAM_MIB = 128;
const GUESTS: Record<GuestArch, { qemu: string; args: string[]; ramStart: bigint; blockSize: number }> = {
  x86_64: { qemu: 'qemu-system-x86_64', args: ['-machine', 'pc'], ramStart: 0n, blockSize: 4096 },
  aarch64: { qemu: 'qemu-system-aarch64', args: ['-machine', 'virt', '-cpu', 'cortex-a57'], ramStart: 0x4000_0000n, blockSize: 65536 },
};
/** Low x86 pages the vmcore for makedumpfile fills with the kernel data it insists on (see vmcoreFor). */
const X86_RESERVED_END = 0x100000n;

/** The tools making images needs; a test that uses guestImages skips with this reason when one is missing. */
export function missingGuestTools(arch: GuestArch): string | undefined {
  const tools = [GUESTS[arch].qemu, 'makedumpfile', 'gcc'];
  const headers = ['zlib.h', 'lzo/lzo1x.h', 'snappy-c.h', 'zstd.h'];
  const missing = [
    ...tools.filter((t) => !process.env.PATH?.split(':').some((d) => existsSync(join(d, t)))),
    ...headers.filter((h) => !existsSync(join('/usr/include', h))),
  ];
  return missing.length ? `not installed: ${missing.join(', ')} (.ci/run installs them)` : undefined;
}

/**
 * Boot no OS in a QEMU guest with 128 MiB of RAM held at reset (-S), place `pages` in its
 * RAM with `-device loader`, and dump the RAM in every format: ELF, kdump-zlib flattened
 * and reassembled, raw, and the kdump compressions makedumpfile and write-kdump.c add.
 * Cached by content in the run's temporary folder, so every test file of a run shares one set
 * per page list.
 */
export async function guestImages(pages: readonly PlacedBytes[], arch: GuestArch = 'x86_64'): Promise<GuestImages> {
  const guest = GUESTS[arch];
  const ramEnd = guest.ramStart + BigInt(RAM_MIB << 20);
  const low = arch === 'x86_64' ? X86_RESERVED_END : guest.ramStart;
  for (const p of pages) {
    if (p.pa < low || p.pa + BigInt(p.bytes.length) > ramEnd) throw new Error(`page at 0x${p.pa.toString(16)} is outside guest RAM 0x${low.toString(16)}..0x${ramEnd.toString(16)}`);
  }
  const hash = createHash('sha256').update(arch).update(readFileSync(WRITE_KDUMP)).update(readFileSync(fileURLToPath(import.meta.url)));
  for (const p of pages) hash.update(p.pa.toString(16)).update(p.bytes);
  const dir = join(tmpdir(), `kho-abi-guest-${arch}-${hash.digest('hex').slice(0, 16)}`);
  const images = imagesIn(dir, arch, guest.ramStart, ramEnd);
  if (existsSync(join(dir, 'done'))) return { ...images, seconds: 0 };

  const started = Date.now();
  const work = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  mkdirSync(work, { recursive: true });
  const loaders = pages.flatMap((p, i) => {
    const file = join(work, `page-${i}.bin`);
    writeFileSync(file, p.bytes);
    return ['-device', `loader,file=${file},addr=0x${p.pa.toString(16)},force-raw=on`];
  });
  await qmp(guest.qemu, [...guest.args, '-m', `${RAM_MIB}M`, ...loaders], [
    { execute: 'dump-guest-memory', arguments: { paging: false, protocol: `file:${join(work, 'qemu.elf')}` } },
    { execute: 'dump-guest-memory', arguments: { paging: false, protocol: `file:${join(work, 'qemu.flat')}`, format: 'kdump-zlib' } },
    { execute: 'pmemsave', arguments: { val: Number(guest.ramStart), size: RAM_MIB << 20, filename: join(work, 'ram.bin') } },
  ]);
  await run('sh', ['-c', 'makedumpfile -R "$1" < "$2"', 'sh', join(work, 'qemu.kdump'), join(work, 'qemu.flat')]);

  for (const codec of ['snappy', 'zstd'] as const) {
    await writeKdump(join(work, 'ram.bin'), guest.ramStart, join(work, `${codec}.kdump`), { codec, blockSize: guest.blockSize, machine: arch });
  }
  if (arch === 'x86_64') {
    const vmcore = join(work, 'vmcore.elf');
    vmcoreFor(join(work, 'ram.bin'), vmcore);
    await run('makedumpfile', ['-c', '-d', '0', vmcore, join(work, 'makedumpfile-zlib.kdump')]);
    await run('makedumpfile', ['-l', '-d', '1', vmcore, join(work, 'makedumpfile-lzo.kdump')]);
    await run('sh', ['-c', 'makedumpfile -F -l -d 1 "$1" > "$2"', 'sh', vmcore, join(work, 'makedumpfile-lzo.flat')]);
    rmSync(vmcore);
  }
  for (let i = 0; i < pages.length; i++) rmSync(join(work, `page-${i}.bin`));
  writeFileSync(join(work, 'done'), '');
  try {
    renameSync(work, dir);
  } catch {
    rmSync(work, { recursive: true, force: true }); // another test file made the same set first
  }
  return { ...images, seconds: (Date.now() - started) / 1000 };
}

function imagesIn(dir: string, arch: GuestArch, ramStart: bigint, ramEnd: bigint): Omit<GuestImages, 'seconds'> {
  const kdump: Record<string, string> = { snappy: join(dir, 'snappy.kdump'), zstd: join(dir, 'zstd.kdump') };
  if (arch === 'x86_64') {
    kdump['makedumpfile-zlib'] = join(dir, 'makedumpfile-zlib.kdump');
    kdump['makedumpfile-lzo'] = join(dir, 'makedumpfile-lzo.kdump');
    kdump['makedumpfile-lzo-flattened'] = join(dir, 'makedumpfile-lzo.flat');
  }
  return {
    arch,
    ramStart,
    ramEnd,
    elf: join(dir, 'qemu.elf'),
    qemuFlattened: join(dir, 'qemu.flat'),
    qemuKdump: join(dir, 'qemu.kdump'),
    raw: `${join(dir, 'ram.bin')}@0x${ramStart.toString(16)}`,
    kdump,
  };
}

/** Run QEMU held at reset with QMP on stdio, send the commands, quit; reject on any QMP error. */
function qmp(binary: string, args: string[], commands: object[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...args, '-S', '-nodefaults', '-display', 'none', '-qmp', 'stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const errors = out.split('\n').filter((l) => l.includes('"error"'));
      if (code !== 0 || errors.length) reject(new Error(`${binary} exited ${code}: ${errors.join(' ')} ${err}`));
      else resolve();
    });
    child.stdin.end([{ execute: 'qmp_capabilities' }, ...commands, { execute: 'quit' }].map((c) => JSON.stringify(c)).join('\n') + '\n');
  });
}

const PAGE_OFFSET = 0xffff_8880_0000_0000n; // x86-64 direct map (4-level paging)
const START_KERNEL_MAP = 0xffff_ffff_8000_0000n;
const UTSNAME_PA = 0x1000;
const PGD_PA = 0x2000;
const PUD_PA = 0x3000;
const MEM_MAP_PA = 0x4000;
const DATA_OFFSET = 0x10000;

/**
 * An x86-64 vmcore ELF of the raw RAM for makedumpfile, which reads only kernel dumps: a
 * VMCOREINFO note and, in low pages the tests leave alone, the kernel data it reads
 * before copying pages (init_uts_ns' release, a page table mapping the direct map with
 * a 1 GiB page, a mem_map pointer). The PT_LOAD holds every RAM byte.
 */
function vmcoreFor(raw: string, out: string): void {
  const vmcoreinfo = Buffer.from(
    [
      'OSRELEASE=6.12.0-kho',
      'PAGESIZE=4096',
      `SYMBOL(system_utsname)=${(PAGE_OFFSET + BigInt(UTSNAME_PA)).toString(16)}`,
      `SYMBOL(init_top_pgt)=${(START_KERNEL_MAP + BigInt(PGD_PA)).toString(16)}`,
      'NUMBER(phys_base)=0',
      `SYMBOL(mem_map)=${(PAGE_OFFSET + BigInt(MEM_MAP_PA)).toString(16)}`,
      'SIZE(page)=64',
      'OFFSET(page.flags)=0',
      'OFFSET(page._refcount)=52',
      'OFFSET(page.mapping)=24',
      '',
    ].join('\n'),
  );
  const name = Buffer.from('VMCOREINFO\0');
  const pad4 = (b: Buffer) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  const note = Buffer.concat([Buffer.from(new Uint32Array([name.length, vmcoreinfo.length, 0]).buffer), pad4(name), pad4(vmcoreinfo)]);
  const size = RAM_MIB << 20;
  const head = Buffer.alloc(DATA_OFFSET);
  head.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  head.writeUInt16LE(4, 16); // ET_CORE
  head.writeUInt16LE(62, 18); // EM_X86_64
  head.writeUInt32LE(1, 20);
  head.writeBigUInt64LE(64n, 32); // e_phoff: makedumpfile reads the program headers right after the ELF header
  head.writeUInt16LE(64, 52);
  head.writeUInt16LE(56, 54);
  head.writeUInt16LE(2, 56);
  const phdr = (at: number, type: number, offset: number, vaddr: bigint, paddr: bigint, filesz: number) => {
    head.writeUInt32LE(type, at);
    head.writeUInt32LE(7, at + 4);
    head.writeBigUInt64LE(BigInt(offset), at + 8);
    head.writeBigUInt64LE(vaddr, at + 16);
    head.writeBigUInt64LE(paddr, at + 24);
    head.writeBigUInt64LE(BigInt(filesz), at + 32);
    head.writeBigUInt64LE(BigInt(filesz), at + 40);
  };
  phdr(64, 4, 64 + 2 * 56, 0n, 0n, note.length); // PT_NOTE
  phdr(64 + 56, 1, DATA_OFFSET, PAGE_OFFSET, 0n, size); // PT_LOAD
  head.set(note, 64 + 2 * 56);

  const fdIn = openSync(raw, 'r');
  const fdOut = openSync(out, 'w');
  writeSync(fdOut, head);
  const chunk = Buffer.alloc(8 << 20);
  for (let at = 0; at < size; at += chunk.length) {
    const n = readSync(fdIn, chunk, 0, chunk.length, at);
    if (at === 0) {
      const uts = ['Linux', 'kho-abi-test', '6.12.0-kho', '#1', 'x86_64', '(none)'];
      uts.forEach((s, i) => chunk.write(s.padEnd(65, '\0'), UTSNAME_PA + i * 65, 'latin1'));
      chunk.writeBigUInt64LE(BigInt(PUD_PA) | 0x63n, PGD_PA + Number((PAGE_OFFSET >> 39n) & 511n) * 8); // present, rw, accessed, dirty
      chunk.writeBigUInt64LE(0xe3n, PUD_PA); // a 1 GiB page at physical 0
      chunk.writeBigUInt64LE(PAGE_OFFSET + 0x20_0000n, MEM_MAP_PA);
    }
    writeSync(fdOut, chunk, 0, n);
  }
  closeSync(fdIn);
  closeSync(fdOut);
}
