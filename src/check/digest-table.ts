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
// May import: ./pair-table.

import { cellColumn, cellRow, denseCell, PairTable } from "./pair-table.js";

export interface DigestRecord {
  digest: string;
  replica: number;
}

/** compare(): nothing at (a, b), the same digest, another digest. */
export const ABSENT = 0;
export const SAME = 1;
export const DIFFERENT = 2;

/** A dense row's first capacity, and how far past its end a column may be and still grow the row (farther goes aside). */
const FIRST_CAPACITY = 64;
const GROW_SLACK = 4096;
/** Replicas stored in a row: int32 values (kept as replica + 1, 0 = empty). */
const MAX_ROW_REPLICA = 2 ** 31 - 2;

class LaneRow {
  hi: Int32Array;
  lo: Int32Array;
  /** replica + 1; 0 = no record in this cell. */
  who: Int32Array;

  constructor(capacity: number) {
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.who = new Int32Array(capacity);
  }

  /** Room for column `b` (growing by doubling), or false when `b` is too far past the end. */
  reach(b: number): boolean {
    const n = this.who.length;
    if (b < n) return true;
    if (b >= 2 * n + GROW_SLACK) return false;
    let m = n;
    while (m <= b) m *= 2;
    this.hi = grown(this.hi, m);
    this.lo = grown(this.lo, m);
    this.who = grown(this.who, m);
    return true;
  }
}

function grown(x: Int32Array, n: number): Int32Array {
  const y = new Int32Array(n);
  y.set(x);
  return y;
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
      const col = cellColumn(cell);
      if (row !== undefined && col < row.who.length && row.who[col] !== 0) {
        return parse(digest) && row.hi[col] === laneHi && row.lo[col] === laneLo ? SAME : DIFFERENT;
      }
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
      const col = cellColumn(cell);
      if (row !== undefined && col < row.who.length && row.who[col] !== 0) {
        return { digest: hex8(row.hi[col]!) + hex8(row.lo[col]!), replica: row.who[col]! - 1 };
      }
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
      if (row !== undefined && col < row.who.length && row.who[col] !== 0) {
        // Already in the row: stays there if it still fits, else moves aside.
        if (fits) {
          row.hi[col] = laneHi;
          row.lo[col] = laneLo;
          row.who[col] = replica + 1;
          return;
        }
        row.who[col] = 0;
      } else if (fits && !(this.anyAside && this.aside.has(a, b))) {
        if (row === undefined) this.rows[ra] = row = new LaneRow(FIRST_CAPACITY);
        if (row.reach(col)) {
          row.hi[col] = laneHi;
          row.lo[col] = laneLo;
          row.who[col] = replica + 1;
          return;
        }
      }
    }
    this.aside.set(a, b, { digest, replica });
    this.anyAside = true;
  }
}
