// check/digest-table: (a, b) → (digest, replica), answering exactly like a PairTable of
// { digest, replica } records, for the records the safety checker keeps for every sequence number
// and request of a run: the digest correct replicas prepared at (view, seq), the one executed at each
// seq, the request digest each client issued at (client, timestamp). A run never forgets them (a
// replica may prepare, execute or replay a request long after the others), so they grow with the
// run: in a PairTable each is an object and a string, ~90 bytes with its slot; ten simulated years
// of tokenomics.yaml hold over a million. Here a digest of 16 lowercase hex digits (every
// hashString digest) is two int32 lanes and the replica an int32 in typed columns of a dense row,
// 12 bytes; any other digest or key (NULL_DIGEST, texts a broken node sends, pairs PairTable keeps
// under their text) goes to a PairTable beside the rows. test/check/digest-table.test.ts drives
// both against the PairTable they replace.
// May import: metrics, ./pair-table.

import { grownI32 } from "../metrics/index.js";
import { cellColumn, cellRow, denseCell, PairTable } from "./pair-table.js";

export interface DigestRecord {
  digest: string;
  replica: number;
}

/** compare(): nothing at (a, b), the same digest, another digest. */
export const ABSENT = 0;
export const SAME = 1;
export const DIFFERENT = 2;

/** A dense row's first capacity (and the block its first column is rounded down to), and how far past its end a column may be and still grow the row (farther goes aside). */
const FIRST_CAPACITY = 64;
const GROW_SLACK = 4096;
/** Replicas stored in a row: int32 values (kept as replica + 1, 0 = empty). */
const MAX_ROW_REPLICA = 2 ** 31 - 2;

/**
 * Columns base … base + length − 1 of one row. The base is the first column's block: a view's row
 * starts at the sequence number the view starts at, not at 0 (earlier columns go aside).
 */
class LaneRow {
  readonly base: number;
  hi: Int32Array;
  lo: Int32Array;
  /** replica + 1; 0 = no record in this cell. */
  who: Int32Array;

  constructor(firstColumn: number) {
    this.base = firstColumn - (firstColumn % FIRST_CAPACITY);
    this.hi = new Int32Array(FIRST_CAPACITY);
    this.lo = new Int32Array(FIRST_CAPACITY);
    this.who = new Int32Array(FIRST_CAPACITY);
  }

  /** The index of column `b` when it holds a record, else -1. */
  find(b: number): number {
    const i = b - this.base;
    return i >= 0 && i < this.who.length && this.who[i] !== 0 ? i : -1;
  }

  /** The index of column `b` (growing the row by doubling), or -1 when `b` is before the row or too far past its end. */
  reach(b: number): number {
    const i = b - this.base;
    const n = this.who.length;
    if (i < 0 || i >= 2 * n + GROW_SLACK) return -1;
    if (i < n) return i;
    let m = n;
    while (m <= i) m *= 2;
    this.hi = grownI32(this.hi, m);
    this.lo = grownI32(this.lo, m);
    this.who = grownI32(this.who, m);
    return i;
  }
}

// The lanes of the last digest parse() accepted.
let laneHi = 0;
let laneLo = 0;

/** True (lanes in laneHi, laneLo) when `d` is exactly 16 lowercase hex digits. */
function parse(d: string): boolean {
  if (d.length !== 16) return false;
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 16; i++) {
    const c = d.charCodeAt(i);
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 97 && c <= 102) v = c - 87;
    else return false;
    if (i < 8) hi = (hi << 4) | v;
    else lo = (lo << 4) | v;
  }
  laneHi = hi;
  laneLo = lo;
  return true;
}

function hex8(x: number): string {
  return (x >>> 0).toString(16).padStart(8, "0");
}

export class DigestTable {
  private readonly rows: (LaneRow | undefined)[] = [];
  private readonly aside = new PairTable<DigestRecord>();
  /** Whether anything was ever put aside (lookups skip `aside` until then). */
  private anyAside = false;

  /** ABSENT, SAME or DIFFERENT: how `digest` compares with the record at (a, b). */
  compare(a: unknown, b: unknown, digest: string): number {
    const cell = denseCell(a, b);
    if (cell >= 0) {
      const row = this.rows[cellRow(cell)];
      const i = row === undefined ? -1 : row.find(cellColumn(cell));
      if (i >= 0) return parse(digest) && row!.hi[i] === laneHi && row!.lo[i] === laneLo ? SAME : DIFFERENT;
    }
    if (!this.anyAside) return ABSENT;
    const r = this.aside.get(a, b);
    if (r === undefined) return ABSENT;
    return r.digest === digest ? SAME : DIFFERENT;
  }

  /** The record at (a, b) (a new object: for reports, not for hot paths). */
  get(a: unknown, b: unknown): DigestRecord | undefined {
    const cell = denseCell(a, b);
    if (cell >= 0) {
      const row = this.rows[cellRow(cell)];
      const i = row === undefined ? -1 : row.find(cellColumn(cell));
      if (i >= 0) return { digest: hex8(row!.hi[i]!) + hex8(row!.lo[i]!), replica: row!.who[i]! - 1 };
    }
    return this.anyAside ? this.aside.get(a, b) : undefined;
  }

  /** Sets the record at (a, b). */
  set(a: unknown, b: unknown, digest: string, replica: number): void {
    const cell = denseCell(a, b);
    const fits = parse(digest) && Number.isInteger(replica) && replica >= 0 && replica <= MAX_ROW_REPLICA;
    if (cell >= 0) {
      const ra = cellRow(cell);
      const col = cellColumn(cell);
      let row = this.rows[ra];
      const at = row === undefined ? -1 : row.find(col);
      if (at >= 0) {
        // Already in the row: stays there if it still fits, else moves aside.
        if (fits) {
          row!.hi[at] = laneHi;
          row!.lo[at] = laneLo;
          row!.who[at] = replica + 1;
          return;
        }
        row!.who[at] = 0;
      } else if (fits && !(this.anyAside && this.aside.has(a, b))) {
        if (row === undefined) this.rows[ra] = row = new LaneRow(col);
        const i = row.reach(col);
        if (i >= 0) {
          row.hi[i] = laneHi;
          row.lo[i] = laneLo;
          row.who[i] = replica + 1;
          return;
        }
      }
    }
    this.aside.set(a, b, { digest, replica });
    this.anyAside = true;
  }
}
