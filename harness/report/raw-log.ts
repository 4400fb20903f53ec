// A golden log split into its raw lines, numbered as harness/normalise.ts numbers them (split at
// each LF, 1-based, no empty line after a final LF; invalid UTF-8 decoded leniently), so that a
// catalog line's `line` is the index + 1 of the raw line it came from.

const lenient = new TextDecoder('utf-8', { fatal: false });

/** The raw lines of a log's bytes, CR kept (the page drops a trailing one). */
export function splitRawLines(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      lines.push(lenient.decode(bytes.subarray(start, i)));
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(lenient.decode(bytes.subarray(start)));
  return lines;
}
