import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { formatInspection, inspectionJson } from '../../format/flb-inspection.js';
import { formatImages } from '../../format/memory-images.js';
import { stringifyJson } from '../../format/json.js';
import { inspectFlbTable } from '../../luo-flb/inspect-flb.js';
import type { CliContext } from '../context.js';
import { openMemory, pageSizeOf, physAddress, withMemoryOptions, type MemoryFlags } from '../memory-options.js';
import { examples } from '../options.js';

export function register(program: Command, ctx: CliContext): void {
  withMemoryOptions(
    program
      .command('inspect')
      .description('list the LUO FLB table entries of a memory image and decode every PCI one under each id its compat string names')
      .requiredOption('--flb-table-pa <addr>', 'physical address of the FLB table (struct luo_flb_header_ser)', physAddress('--flb-table-pa'))
      .option('--json', 'print JSON: the entries, the findings, each decoded PCI blob'),
    false,
  )
    .addHelpText('after', examples('kho-abi inspect --memory vmcore.elf --flb-table-pa 0x2000', 'kho-abi inspect --memory ram.bin@0x0 --flb-table-pa 0x2000 --json'))
    .action((opts: MemoryFlags & { flbTablePa: bigint; json?: boolean }) => {
      const memory = openMemory(opts);
      if (!memory) throw new UsageError('inspect needs --memory IMAGE');
      const r = inspectFlbTable(memory, opts.flbTablePa, { pageSize: pageSizeOf(opts, memory) });
      ctx.out(opts.json ? stringifyJson({ images: memory.images, ...inspectionJson(r) }) : `${formatImages(memory.images)}\n${formatInspection(r, opts.memory.join(','))}`);
      if (r.table.findings.length || r.pci.some((p) => !p.readings.some((x) => x.consistent))) ctx.exit(1);
    });
}
