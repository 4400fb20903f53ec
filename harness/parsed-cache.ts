// A content-hashed cache of parsed inputs (the classified golden serial logs, the state logs' fields,
// the profiles' specs), so that a conformance run does not parse every unchanged file again. An entry
// is keyed by the sha256 of the file's bytes, what else the parse reads (its shown path, the kernel
// id) and the version of the code that parsed it: the CLI build's own folder name, dist/cli-<hash>/,
// a hash of the whole bundle (harness/cli/build.js), so any change of the code is a new cache. The
// entries live in that folder (dist/cli-<hash>/parsed/, never committed) and go with it when
// build.js removes a superseded build. From the TypeScript sources (the test runner) there is no
// build and no cache: every parse is the real one. Entries are node:v8 serialised (bigint fields
// stay bigint), written atomically (a temporary file, then rename), and on reading checked whole
// against the value's valibot schema and the key they claim: a corrupt, truncated, foreign or
// invalid entry is ignored and the file parsed again. Only a successful parse is kept; an error is
// met again on every run.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { threadId } from 'node:worker_threads';
import * as v from 'valibot';

/** Where entries go and the code version they are made by. */
export interface ParsedCacheOptions {
  /** The folder of the entries. */
  readonly dir: string;
  /** The version of the parsing code; an entry of another version is not read. */
  readonly version: string;
}

/**
 * The cache of the running build: dist/cli-<hash>/parsed/, version cli-<hash>, when this code runs from
 * the bundle dist/cli-<hash>/main.cjs; undefined (no cache) when it runs from the sources.
 */
export function buildCache(url: string = import.meta.url): ParsedCacheOptions | undefined {
  if (!url.startsWith('file:')) return undefined;
  const self = fileURLToPath(url);
  const m = /[\\/]dist[\\/](cli-[0-9a-f]{12})[\\/]main\.cjs$/.exec(self);
  return m ? { dir: path.join(path.dirname(self), 'parsed'), version: m[1]! } : undefined;
}

let running: ParsedCacheOptions | undefined | null = null;
/** buildCache() of this process, found once. */
export function runningCache(): ParsedCacheOptions | undefined {
  if (running === null) running = buildCache();
  return running;
}

/** The entry's key: the version, the kind, the other inputs and the sha256 of the bytes. */
function keyOf(version: string, kind: string, inputs: readonly string[], bytes: Uint8Array): string {
  return JSON.stringify([version, kind, inputs, createHash('sha256').update(bytes).digest('hex')]);
}

function entryFile(dir: string, kind: string, key: string): string {
  return path.join(dir, `${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 32)}.v8`);
}

/**
 * The parse of `bytes` (a file's content) by `parse`, from the cache when an entry for the same
 * bytes, inputs and code version is there and holds a value `schema` accepts; else parsed and kept.
 * `inputs` are the other things the parse reads (a shown path, a kernel id), in a fixed order.
 * Without a cache (opts undefined: runningCache() from the sources) it is `parse()`.
 */
export function cachedParse<T>(
  kind: string,
  inputs: readonly string[],
  bytes: Uint8Array,
  schema: v.GenericSchema<T, T>,
  parse: () => T,
  opts: ParsedCacheOptions | undefined,
): T {
  if (opts === undefined) return parse();
  const key = keyOf(opts.version, kind, inputs, bytes);
  const file = entryFile(opts.dir, kind, key);
  const hit = readEntry(file, key, schema);
  if (hit.found) return hit.value;
  const value = parse();
  writeEntry(opts.dir, file, { key, value });
  return value;
}

const EntrySchema = v.object({ key: v.string(), value: v.unknown() });

function readEntry<T>(file: string, key: string, schema: v.GenericSchema<T, T>): { readonly found: true; readonly value: T } | { readonly found: false } {
  let raw: unknown;
  try {
    raw = deserialize(readFileSync(file));
  } catch {
    // absent, unreadable or not a v8 serialisation: parsed again
    return { found: false };
  }
  const e = v.safeParse(EntrySchema, raw);
  if (!e.success || e.output.key !== key) return { found: false };
  // checked, not cast: v.is narrows the value to the schema's type, and keeps the object as it was stored
  const value = e.output.value;
  return v.is(schema, value) ? { found: true, value } : { found: false };
}

function writeEntry(dir: string, file: string, entry: { readonly key: string; readonly value: unknown }): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${threadId}.tmp`;
    writeFileSync(tmp, serialize(entry));
    renameSync(tmp, file);
  } catch {
    // a read-only tree only loses the speed-up
  }
}
