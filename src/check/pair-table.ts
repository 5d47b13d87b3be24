// check/pair-table: a map keyed by a pair (client, timestamp) or (view, seq) that behaves exactly
// like a Map keyed by the pair's text `${a}:${b}`, without building that text for the pairs correct
// nodes produce. A pair whose text is two small non-negative integers lives in a dense row
// (rows[a][b]: timestamps and sequence numbers count up from 1, so rows fill in order); any other
// pair lives in a Map under its text. Where a pair lives is a function of its text alone, so two
// pairs share an entry exactly when their texts are equal (denseCell, also used by ./digest-table.ts).
// May import: nothing.

/** Dense rows hold pairs with a < ROW_LIMIT and b < COLUMN_LIMIT. */
const ROW_LIMIT = 2 ** 16;
const COLUMN_LIMIT = 2 ** 31;
/** Canonical decimal text of two non-negative integers (no sign, no leading zero). */
const PAIR_TEXT = /^(0|[1-9]\d*):(0|[1-9]\d*)$/;

/** Values are never undefined (undefined means absent). */
export class PairTable<V> {
  private readonly rows: (V | undefined)[][] = [];
  private readonly other = new Map<string, V>();

  get(a: unknown, b: unknown): V | undefined {
    if (locate(a, b)) return this.rows[rowA]?.[rowB];
    return this.other.get(text);
  }

  has(a: unknown, b: unknown): boolean {
    return this.get(a, b) !== undefined;
  }

  set(a: unknown, b: unknown, v: V): void {
    if (locate(a, b)) {
      let row = this.rows[rowA];
      if (row === undefined) this.rows[rowA] = row = [];
      row[rowB] = v;
    } else this.other.set(text, v);
  }

  delete(a: unknown, b: unknown): void {
    if (locate(a, b)) {
      const row = this.rows[rowA];
      if (row !== undefined && rowB < row.length) row[rowB] = undefined;
    } else this.other.delete(text);
  }
}

// The outcome of locate(): the dense cell (rowA, rowB), or the text.
let rowA = 0;
let rowB = 0;
let text = "";

/** True (cell in rowA, rowB) when `${a}:${b}` is two integers within the dense limits, else false (key in `text`). */
function locate(a: unknown, b: unknown): boolean {
  const cell = denseCell(a, b);
  if (cell >= 0) {
    rowA = cellRow(cell);
    rowB = cellColumn(cell);
    return true;
  }
  text = `${a}:${b}`;
  return false;
}

/**
 * The dense cell of the pair whose text is `${a}:${b}`, as rowA · 2^31 + rowB (an exact integer below
 * 2^47), or -1 when that text is not two integers within the dense limits. Equal texts give equal cells.
 */
export function denseCell(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number" && Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0) {
    // -0 prints as "0": the same cell as 0.
    if (a < ROW_LIMIT && b < COLUMN_LIMIT) return (a + 0) * COLUMN_LIMIT + (b + 0);
  }
  const m = PAIR_TEXT.exec(`${a}:${b}`);
  if (m !== null) {
    const x = Number(m[1]);
    const y = Number(m[2]);
    // Integers ≥ 2^53 print differently from their own text, but none of them is in range.
    if (x < ROW_LIMIT && y < COLUMN_LIMIT) return x * COLUMN_LIMIT + y;
  }
  return -1;
}

/** Row and column of a dense cell (exact: integers below 2^47; no `%` on a double, which V8 compiles to a call). */
export const cellRow = (cell: number): number => Math.floor(cell / COLUMN_LIMIT);
export const cellColumn = (cell: number): number => cell - Math.floor(cell / COLUMN_LIMIT) * COLUMN_LIMIT;
