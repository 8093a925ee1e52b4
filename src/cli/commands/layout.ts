import type { Command } from 'commander';
import { stringifyJson } from '../../format/json.js';
import { formatFdtProperties } from '../../format/fdt-properties.js';
import { formatStruct } from '../../format/pahole.js';
import { structJson } from '../../layout/struct-json.js';
import type { FdtPropertyDef } from '../../schema/types.js';
import { containers, containerStruct, getAbi } from '../../registry.js';
import type { StructLayout } from '../../layout/engine.js';
import type { CliContext } from '../context.js';
import { examples } from '../help-examples.js';

/** The structs `layout ID` shows: the id's own, plus the KHO block header for block-chain ids. */
function structsOf(id: string): { title: string; fingerprint: string; structs: readonly StructLayout[]; fdt?: readonly FdtPropertyDef[] } {
  const container = containers.find((c) => c.id === id);
  if (container) {
    const compat = container.compatible ? `: compat ${[container.compatible, ...container.alsoCompatible].map((c) => `"${c}"`).join(', ')}` : '';
    return { title: `${container.id} (${container.header})${compat}`, fingerprint: container.fingerprint, structs: container.structs, fdt: container.fdt };
  }
  const abi = getAbi(id);
  const extra = abi.storage === 'block-chain' ? [containerStruct('kho-block', 'kho_block_header_ser')] : [];
  const version = abi.version === undefined ? '' : `, PCI_LUO_FLB_VERSION ${abi.version}`;
  return { title: `${abi.id}: compat "${abi.compatible}"${version}, ${abi.semantics}, devices ${abi.storage}`, fingerprint: abi.fingerprint, structs: [...abi.structs, ...extra] };
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('layout')
    .argument('<id>', `ABI id (kho-abi list), or a container header: ${containers.map((c) => c.id).join(', ')}`)
    .description('pahole-style layout of every struct of an id: offsets, sizes, holes, padding')
    .option('--json', 'print JSON')
    .addHelpText('after', examples('kho-abi layout pci-v2/flat8-max32', 'kho-abi layout pci/blk16-v2 --json'))
    .action((id: string, opts: { json?: boolean }) => {
      const { title, fingerprint, structs, fdt = [] } = structsOf(id);
      if (opts.json) {
        ctx.out(stringifyJson({ abi: id, fingerprint, structs: structs.map(structJson), ...(fdt.length ? { fdt } : {}) }));
        return;
      }
      const properties = fdt.length ? [formatFdtProperties(fdt)] : [];
      ctx.out([`/* ${title}; layout fingerprint ${fingerprint} */`, ...properties, ...structs.map(formatStruct)].join('\n\n'));
    });
}
