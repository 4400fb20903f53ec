// One error class per family, each with a closed code union, as shared/STYLE.md §5 asks.
// Messages say where, what was expected and what was found.

/** Where in a file a problem sits; line and column are 1-based. */
export interface SourcePos {
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
}

export function formatPos(pos: SourcePos): string {
  if (pos.line === undefined) return pos.file;
  return pos.col === undefined ? `${pos.file}:${pos.line}` : `${pos.file}:${pos.line}:${pos.col}`;
}

export abstract class BootsimError<C extends string> extends Error {
  readonly code: C;
  readonly pos: SourcePos | undefined;
  constructor(code: C, message: string, options: { pos?: SourcePos; cause?: unknown } = {}) {
    super(options.pos ? `${formatPos(options.pos)}: ${message}` : message, { cause: options.cause });
    this.code = code;
    this.pos = options.pos;
  }
}
