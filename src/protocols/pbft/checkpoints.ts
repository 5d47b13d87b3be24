// CHECKPOINT vote store: votes per (seq, digest) with each sender's first vote per seq counted,
// bounded per sender (a sender's oldest vote is evicted beyond the cap), plus the queries used
// for stability (Q matching), divergence (R-K6) and fallen-behind detection (R-K5).

import type { Checkpoint } from "./messages.js";
import { VoteSet } from "./votes.js";

export interface DigestVotes {
  readonly set: VoteSet;
  readonly msgs: Checkpoint[];
}

interface SeqVotes {
  readonly voted: VoteSet;
  readonly byDigest: Map<string, DigestVotes>;
}

export class CheckpointVotes {
  private readonly n: number;
  private readonly cap: number;
  private readonly bySeq = new Map<number, SeqVotes>();
  /** Per sender, the seqs it has a stored vote at: flat [sender * cap + k], k < seqCount[sender]. */
  private readonly seqs: Float64Array;
  private readonly seqCount: Int32Array;

  constructor(n: number, perSenderCap: number) {
    this.n = n;
    this.cap = Math.max(2, perSenderCap);
    this.seqs = new Float64Array(n * this.cap);
    this.seqCount = new Int32Array(n);
  }

  /** Records `m` (seq > floor); returns the new count for (seq, digest), or −1 if not counted. */
  add(m: Checkpoint, floor: number): number {
    const j = m.replica;
    let sv = this.bySeq.get(m.seq);
    if (sv?.voted.has(j)) return -1;
    const base = j * this.cap;
    const seqs = this.seqs;
    let live = 0;
    let min = Number.POSITIVE_INFINITY;
    let minAt = -1;
    for (let i = 0; i < this.seqCount[j]!; i++) {
      const s = seqs[base + i]!;
      if (s <= floor || !this.bySeq.get(s)?.voted.has(j)) continue;
      if (s < min) {
        min = s;
        minAt = live;
      }
      seqs[base + live++] = s;
    }
    if (live >= this.cap) {
      if (m.seq < min) {
        this.seqCount[j] = live;
        return -1;
      }
      this.evict(j, min);
      seqs[base + minAt] = seqs[base + live - 1]!;
      live--;
    }
    if (sv === undefined) {
      sv = { voted: new VoteSet(this.n), byDigest: new Map() };
      this.bySeq.set(m.seq, sv);
    }
    sv.voted.add(j);
    seqs[base + live++] = m.seq;
    this.seqCount[j] = live;
    let dv = sv.byDigest.get(m.digest);
    if (dv === undefined) {
      dv = { set: new VoteSet(this.n), msgs: [] };
      sv.byDigest.set(m.digest, dv);
    }
    dv.set.add(j);
    dv.msgs.push(m);
    return dv.set.count;
  }

  /** Distinct digests voted for `seq` (R-K6: more than f + 1 means no checkpoint can become stable there). */
  distinct(seq: number): number {
    return this.bySeq.get(seq)?.byDigest.size ?? 0;
  }

  votes(seq: number, digest: string): DigestVotes | undefined {
    return this.bySeq.get(seq)?.byDigest.get(digest);
  }

  /** Drops every vote for seq ≤ floor. */
  gc(floor: number): void {
    for (const s of this.bySeq.keys()) if (s <= floor) this.bySeq.delete(s);
  }

  /** Number of distinct senders (other than `self`) with a vote above `above`. */
  sendersAbove(above: number, self: number): number {
    let c = 0;
    for (let j = 0; j < this.n; j++) {
      if (j === self) continue;
      const base = j * this.cap;
      for (let i = 0; i < this.seqCount[j]!; i++) {
        const s = this.seqs[base + i]!;
        if (s > above && this.bySeq.get(s)?.voted.has(j)) {
          c++;
          break;
        }
      }
    }
    return c;
  }

  /** Highest seq above `above` with some digest backed by ≥ threshold votes (smallest digest on ties). */
  bestAbove(above: number, threshold: number): { seq: number; digest: string; votes: DigestVotes } | null {
    let best: { seq: number; digest: string; votes: DigestVotes } | null = null;
    for (const [s, sv] of this.bySeq) {
      if (s <= above || (best !== null && s < best.seq)) continue;
      for (const [d, dv] of sv.byDigest) {
        if (dv.set.count < threshold) continue;
        if (best === null || s > best.seq || d < best.digest) best = { seq: s, digest: d, votes: dv };
      }
    }
    return best;
  }

  /** Every stored CHECKPOINT message (for persistence), ascending by seq. */
  all(): Checkpoint[] {
    const out: Checkpoint[] = [];
    const seqs = [...this.bySeq.keys()].sort((a, b) => a - b);
    for (const s of seqs) for (const dv of this.bySeq.get(s)!.byDigest.values()) out.push(...dv.msgs);
    return out;
  }

  private evict(j: number, seq: number): void {
    const sv = this.bySeq.get(seq);
    if (sv === undefined) return;
    sv.voted.remove(j);
    for (const [d, dv] of sv.byDigest) {
      if (!dv.set.remove(j)) continue;
      const k = dv.msgs.findIndex((m) => m.replica === j);
      if (k >= 0) dv.msgs.splice(k, 1);
      if (dv.set.count === 0) sv.byDigest.delete(d);
    }
    if (sv.voted.count === 0) this.bySeq.delete(seq);
  }
}
