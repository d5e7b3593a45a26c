/** 0x1234…abcd: an address shortened for display (head and tail, enough to tell two apart). */
export function shortAddress(a: string): string {
  return `${a.slice(0, 6)}…${a.slice(-4)}`;
}
