/** JSON text with bigint values as decimal strings (the protobuf JSON mapping for 64-bit). */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
}
