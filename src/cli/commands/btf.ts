import type { Command } from 'commander';
import { btfReport } from '../../btf/btf-report.js';
import { readBtfFile } from '../../btf/read-btf-file.js';
import { btfJson, formatBtfText } from '../../format/btf-report.js';
import { stringifyJson } from '../../format/json.js';
import type { CliContext } from '../context.js';
import { examples } from '../help-examples.js';

const collect = (v: string, prev: string[]) => [...prev, v];

export function register(program: Command, ctx: CliContext): void {
  program
    .command('btf')
    .argument('<file>', 'raw BTF (/sys/kernel/btf/vmlinux, a module with --base) or an ELF with a .BTF section (vmlinux, .ko, gcc -gbtf object)')
    .description('struct layouts as the compiler laid them out, from BTF, and the registry ids pci_ser/pci_dev_ser match')
    .option('--struct <name>', 'show this struct or union (repeatable; default: every *_ser struct)', collect, [])
    .option('--base <file>', 'the base BTF of a split BTF (a module\'s /sys/kernel/btf/NAME over /sys/kernel/btf/vmlinux)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      examples('kho-abi btf vmlinux', 'kho-abi btf /sys/kernel/btf/vmlinux --struct pci_dev', 'kho-abi btf /sys/kernel/btf/vfio_pci --base /sys/kernel/btf/vmlinux', 'kho-abi btf pci.o --json'),
    )
    .action((file: string, opts: { struct: string[]; base?: string; json?: boolean }) => {
      const base = opts.base ? readBtfFile(opts.base) : undefined;
      const report = btfReport(readBtfFile(file, base), opts.struct);
      ctx.out(opts.json ? stringifyJson(btfJson(report)) : formatBtfText(report));
    });
}
