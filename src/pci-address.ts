const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `lspci -D` style address of a device: `%04x:%02x:%02x.%x` (domain:bus:slot.func). */
export function formatAddress(domain: number, bdf: number): string {
  const d = domain >= 0 && domain <= 0xffff ? HEX2[domain >> 8]! + HEX2[domain & 0xff]! : hex(domain, 4);
  return `${d}:${HEX2[(bdf >> 8) & 0xff]}:${HEX2[(bdf >> 3) & 0x1f]}.${bdf & 7}`;
}

/** Parse `[domain:]bus:slot.func` into (domain, bdf); null when it is not such an address. */
export function parseAddress(text: string): { domain: number; bdf: number } | null {
  const m = /^(?:([0-9a-f]{1,8}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i.exec(text.trim());
  if (!m) return null;
  const slot = parseInt(m[3]!, 16);
  if (slot > 0x1f) return null;
  const domain = m[1] === undefined ? 0 : parseInt(m[1], 16);
  const bdf = (parseInt(m[2]!, 16) << 8) | (slot << 3) | parseInt(m[4]!, 16);
  return { domain, bdf };
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}
