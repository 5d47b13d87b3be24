// A report's lists encoded in one pass over a reused byte buffer: its sign bytes (header, then
// `wallet=volume\n` per entry with volumes in canonical decimal), hashed into tx_data, whose list lines
// are also the packed op's payload (a byte array, not n short strings). The optimised twin of
// report.ts's listLines + signBytes + sha256Hex (the reference, which the world falls back to for
// non-ASCII text); tested equal by test/protocols/pot/fast/encode.equiv.test.ts.
// May import: ../sha256, ./slab.

import { sha256Hex } from "../sha256.js";
import { type Slab, u8Slab } from "./slab.js";

/** The two ASCII digits of 0..99 at [2k, 2k+1] (a constant table: never written after it is built). */
const DIGIT_PAIRS: Readonly<Uint8Array> = Uint8Array.from({ length: 200 }, (_, i) => 48 + (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10));

/** What a report's lists encode to: its list lines and tx_data. */
export interface EncodedLists {
  /** The sign bytes after the header: `wallet=volume\n` per entry, volumes in canonical decimal (ASCII). */
  readonly lines: Uint8Array;
  /** sha256 of the sign bytes (header + lines). */
  readonly txData: string;
}

/** One world's (or one traffic thread's) list encoder: its byte buffer and the slab its list lines live in. */
export class ListEncoder {
  /** The sign bytes being encoded (grown, never shrunk). */
  private buf = Buffer.alloc(0);
  /** Report list payloads live as long as their op (until a stable checkpoint): a slab of their own. */
  private readonly lines: Slab<Uint8Array>;

  /** @param chunked list lines cut from shared chunks (false: each its own allocation). */
  constructor(chunked = true) {
    this.lines = chunked ? u8Slab() : u8Slab(0);
  }

  /**
   * Encodes sign bytes `header` + lists. `volumes` must be non-negative safe integers. Needs ASCII
   * header and wallets (then bytes equal UTF-8); returns undefined otherwise.
   */
  encode(header: string, wallets: readonly string[], volumes: ArrayLike<number>): EncodedLists | undefined {
    const n = wallets.length;
    let wl = 0;
    for (let i = 0; i < n; i++) wl += wallets[i]!.length;
    // Sign bytes: header + Σ (wallet "=" volume "\n"); volumes have at most 16 digits.
    const need = header.length + wl + 18 * n;
    if (this.buf.length < need) this.buf = Buffer.alloc(2 * need);
    const buf = this.buf;
    let out = 0;
    for (let j = 0; j < header.length; j++) {
      const c = header.charCodeAt(j);
      if (c > 127) return undefined;
      buf[out++] = c;
    }
    const body = out;
    for (let i = 0; i < n; i++) {
      const w = wallets[i]!;
      for (let j = 0; j < w.length; j++) {
        const c = w.charCodeAt(j);
        if (c > 127) return undefined;
        buf[out++] = c;
      }
      buf[out++] = 61;
      // Decimal digits of v, written backwards from the end of its field, two at a time (DIGIT_PAIRS).
      let x = volumes[i]!;
      // Digit count, branch-free (a loop's exit would be mispredicted: volumes span many magnitudes).
      const nd =
        1 +
        +(x >= 1e1) + +(x >= 1e2) + +(x >= 1e3) + +(x >= 1e4) + +(x >= 1e5) + +(x >= 1e6) + +(x >= 1e7) + +(x >= 1e8) +
        +(x >= 1e9) + +(x >= 1e10) + +(x >= 1e11) + +(x >= 1e12) + +(x >= 1e13) + +(x >= 1e14) + +(x >= 1e15);
      let o = out + nd;
      out = o + 1;
      buf[o] = 10;
      if (x >= 2 ** 31) {
        // v < 2^53: the low eight digits first (v/10^8 may round up to an integer: the check corrects it).
        let hi = Math.floor(x / 1e8);
        let lo = x - hi * 1e8;
        if (lo < 0) {
          hi--;
          lo += 1e8;
        }
        for (let j = 0; j < 4; j++) {
          const q = (lo / 100) | 0;
          const d = 2 * (lo - q * 100);
          buf[--o] = DIGIT_PAIRS[d + 1]!;
          buf[--o] = DIGIT_PAIRS[d]!;
          lo = q;
        }
        x = hi;
      }
      let r = x | 0;
      while (r >= 100) {
        const q = (r / 100) | 0;
        const d = 2 * (r - q * 100);
        buf[--o] = DIGIT_PAIRS[d + 1]!;
        buf[--o] = DIGIT_PAIRS[d]!;
        r = q;
      }
      if (r >= 10) {
        buf[--o] = DIGIT_PAIRS[2 * r + 1]!;
        buf[--o] = DIGIT_PAIRS[2 * r]!;
      } else buf[--o] = 48 + r;
    }
    const lines = this.lines.take(out - body);
    lines.set(buf.subarray(body, out));
    return { lines, txData: sha256Hex(buf.subarray(0, out)) };
  }
}
