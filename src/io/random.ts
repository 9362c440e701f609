/**
 * Random hex for temp-file names and lock nonces. Uses the Web Crypto global, which Node loads
 * on first use: importing node:crypto at the top would load the whole crypto stack on every start
 * of the CLI, even for commands that write nothing.
 */
export function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buf);
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}
