// A table of cache calls written as another series' table with edits (caches/6.16.ts … 6.18-post.ts,
// 7.3-post.ts): each edit names the call it changes by its name (the first call of that name, or the
// one a predicate picks), and an edit whose call is not there is an error, so a table cannot drift
// silently from the one it is read against.
import type { CacheCall } from '../slab-create.ts';

/** Which call an edit changes: the first of that name, or the first `pick` accepts. */
export type CallAt = string | { readonly name: string; readonly pick: (c: CacheCall) => boolean };

/** One change to a table: why it is made stays in the edit (the source line that makes it). */
export type CallEdit =
  | { readonly drop: CallAt; readonly why: string }
  | { readonly replace: CallAt; readonly by: readonly CacheCall[] }
  | { readonly before: CallAt; readonly add: readonly CacheCall[] }
  | { readonly after: CallAt; readonly add: readonly CacheCall[] };

function indexOf(calls: readonly CacheCall[], at: CallAt, file: string): number {
  const i = typeof at === 'string' ? calls.findIndex((c) => c.name === at) : calls.findIndex((c) => c.name === at.name && at.pick(c));
  if (i < 0) throw new RangeError(`${file}: expected a call named ${typeof at === 'string' ? at : at.name} to edit, got none`);
  return i;
}

/** `calls` with `edits` applied in order (`file` names the table in the error an absent call raises). */
export function editCalls(calls: readonly CacheCall[], edits: readonly CallEdit[], file: string): CacheCall[] {
  let out = [...calls];
  for (const e of edits) {
    if ('drop' in e) {
      const i = indexOf(out, e.drop, file);
      out = [...out.slice(0, i), ...out.slice(i + 1)];
    } else if ('replace' in e) {
      const i = indexOf(out, e.replace, file);
      out = [...out.slice(0, i), ...e.by, ...out.slice(i + 1)];
    } else if ('before' in e) {
      const i = indexOf(out, e.before, file);
      out = [...out.slice(0, i), ...e.add, ...out.slice(i)];
    } else {
      const i = indexOf(out, e.after, file);
      out = [...out.slice(0, i + 1), ...e.add, ...out.slice(i + 1)];
    }
  }
  return out;
}

/** The first call named `name` in `calls` (a call one table takes from another unchanged). */
export function callNamed(calls: readonly CacheCall[], name: string, file: string): CacheCall {
  return calls[indexOf(calls, name, file)]!;
}
