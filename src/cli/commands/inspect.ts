import { closeSync, openSync, readSync } from 'node:fs';
import type { Command } from 'commander';
import { discoverKhoTrees, discoveryHasErrors, inspectKhoFdtAt, inspectKhoFdtBytes, type Discovery } from '../../discovery/discover.js';
import { UsageError } from '../../errors.js';
import { FDT_MAX_SIZE } from '../../fdt/fdt-header.js';
import { discoveryJson, discoveryLines } from '../../format/discovery.js';
import { inspectionJson, inspectionLines } from '../../format/flb-inspection.js';
import { formatImages } from '../../format/memory-images.js';
import { jsonChunks } from '../../format/json.js';
import { describeFsError } from '../../io/read-input.js';
import { inspectFlbTable } from '../../luo-flb/inspect-flb.js';
import type { MemoryImage } from '../../memory/memory-image.js';
import type { CliContext } from '../context.js';
import { openMemory, pageSizeOf, physAddress, withMemoryOptions, type MemoryFlags } from '../memory-options.js';
import { examples } from '../help-examples.js';

interface InspectFlags extends MemoryFlags {
  flbTablePa?: bigint;
  khoFdt?: string;
  json?: boolean;
}

function discover(memory: MemoryImage, opts: InspectFlags): Discovery {
  const pageSize = pageSizeOf(opts, memory);
  if (opts.khoFdt === undefined) {
    const found = discoverKhoTrees(memory, { pageSize });
    if (!found.trees.length) {
      const others = found.others.length ? `; not KHO trees: ${found.others.map((o) => `0x${o.address.toString(16)} ${o.what}`).join(', ')}` : '';
      throw new UsageError(`no KHO FDT (root compatible "kho-v*") at any of the ${found.pagesScanned} page starts of ${opts.memory.join(',')}${others}; give --kho-fdt FILE|ADDR or --flb-table-pa ADDR`);
    }
    return found;
  }
  if (/^0x[0-9a-f]+$/i.test(opts.khoFdt.trim())) return inspectKhoFdtAt(memory, physAddress('--kho-fdt')(opts.khoFdt), { pageSize });
  return inspectKhoFdtBytes(memory, readDtb(opts.khoFdt), opts.khoFdt, { pageSize });
}

/** A dtb file, read up to one byte past FDT_MAX_SIZE whatever it is (a device, a pipe): a larger one is refused. */
function readDtb(path: string): Uint8Array {
  const buf = new Uint8Array(FDT_MAX_SIZE + 1);
  let n = 0;
  try {
    const fd = openSync(path, 'r');
    try {
      for (let got = -1; got !== 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new UsageError(describeFsError(e, path));
  }
  if (n > FDT_MAX_SIZE) throw new UsageError(`--kho-fdt ${path}: more than ${FDT_MAX_SIZE} bytes, larger than any KHO FDT`);
  return buf.subarray(0, n);
}

/** The report's lines after the lines naming the memory images. */
function* withImages(memory: MemoryImage, report: Iterable<string>): Generator<string> {
  yield formatImages(memory.images);
  yield* report;
}

export function register(program: Command, ctx: CliContext): void {
  withMemoryOptions(
    program
      .command('inspect')
      .description('find the KHO tree in memory images and follow it through LUO to the FLB table, then decode every PCI entry under each id its compat string names')
      .option('--flb-table-pa <addr>', 'physical address of the FLB table (struct luo_flb_header_ser): skip the discovery', physAddress('--flb-table-pa'))
      .option('--kho-fdt <file|addr>', 'the KHO FDT: a dtb file (debugfs kho/in/fdt or kho/out/fdt) or its physical address; skips the scan')
      .option('--json', 'print JSON: the path, the entries, the findings, each decoded PCI blob'),
    false,
  )
    .addHelpText(
      'after',
      examples('kho-abi inspect --memory vmcore.elf', 'kho-abi inspect --memory vmcore.elf --kho-fdt kho-out.dtb --json', 'kho-abi inspect --memory ram.bin@0x0 --flb-table-pa 0x2000'),
    )
    .action(async (opts: InspectFlags) => {
      const memory = openMemory(opts);
      if (!memory) throw new UsageError('inspect needs --memory IMAGE');
      if (opts.flbTablePa !== undefined && opts.khoFdt !== undefined) throw new UsageError('give --flb-table-pa or --kho-fdt, not both');
      const images = opts.memory.join(',');
      // Text: the report streamed on stdout, the findings met on the way after it on stderr (JSON carries them in `findings`).
      const findings: string[] = [];
      if (opts.flbTablePa !== undefined) {
        const r = inspectFlbTable(memory, opts.flbTablePa, { pageSize: pageSizeOf(opts, memory) });
        if (opts.json) await ctx.outChunks(jsonChunks({ images: memory.images, ...inspectionJson(r) }));
        else await ctx.outLines(withImages(memory, inspectionLines(r, images, findings)));
        findings.forEach((line) => ctx.err(line));
        if (r.table.findings.length || r.pci.some((p) => !p.readings.some((x) => x.consistent))) ctx.exit(1);
        return;
      }
      const d = discover(memory, opts);
      if (opts.json) await ctx.outChunks(jsonChunks({ images: memory.images, ...discoveryJson(d) }));
      else await ctx.outLines(withImages(memory, discoveryLines(d, images, findings)));
      findings.forEach((line) => ctx.err(line));
      if (discoveryHasErrors(d)) ctx.exit(1);
    });
}
