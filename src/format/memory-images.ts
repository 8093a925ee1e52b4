import type { ImageDescription } from '../memory/memory-image.js';

const FORMATS: Record<ImageDescription['format'], string> = {
  elf: 'ELF64 core',
  kdump: 'kdump-compressed',
  'kdump-flattened': 'kdump-compressed, flattened stream',
  raw: 'raw physical dump',
};

/** One line per memory image: its format, the machine it names, the block size it records. */
export function formatImages(images: readonly ImageDescription[]): string {
  return images
    .map((i) => {
      const parts = [FORMATS[i.format], i.machine && (i.format === 'elf' ? i.machine : `machine "${i.machine}"`), i.blockSize && `block size ${i.blockSize}`, i.detail];
      return `memory: ${i.file}: ${parts.filter(Boolean).join(', ')}`;
    })
    .join('\n');
}
