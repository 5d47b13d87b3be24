// Baseline for the PHOLD benchmark: the same model on a bare typed-array binary heap with the
// loop and handler inlined (no kernel, no dispatch, no cancellation, no trace hash). It bounds
// what the kernel could reach on this machine, so the kernel is reported as a ratio to it.

import { RngTree } from "../src/kernel/index.js";

export function runBareHeap(lps: number, init: number, events: number, remote: number, lookahead: number, seed: number): number {
  const cap = lps * init + 1;
  const time = new Float64Array(cap);
  const seqs = new Float64Array(cap);
  const lpOf = new Int32Array(cap);
  let n = 0;
  let nextSeq = 0;
  const rng = new RngTree(seed).stream("phold");
  const push = (t: number, lp: number) => {
    let i = n++;
    const s = nextSeq++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t > time[p]! || (t === time[p]! && s > seqs[p]!)) break;
      time[i] = time[p]!;
      seqs[i] = seqs[p]!;
      lpOf[i] = lpOf[p]!;
      i = p;
    }
    time[i] = t;
    seqs[i] = s;
    lpOf[i] = lp;
  };
  const start = new RngTree(seed).stream("phold.init");
  for (let lp = 0; lp < lps; lp++) for (let k = 0; k < init; k++) push(start.exponential(1), lp);
  const counts = new Uint32Array(lps);
  const t0 = process.hrtime.bigint();
  for (let e = 0; e < events; e++) {
    const now = time[0]!;
    const lp = lpOf[0]!;
    // pop: move the last element down from the root
    const last = --n;
    const lt = time[last]!;
    const ls = seqs[last]!;
    const ll = lpOf[last]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && (time[c + 1]! < time[c]! || (time[c + 1] === time[c] && seqs[c + 1]! < seqs[c]!))) c++;
      if (lt < time[c]! || (lt === time[c] && ls < seqs[c]!)) break;
      time[i] = time[c]!;
      seqs[i] = seqs[c]!;
      lpOf[i] = lpOf[c]!;
      i = c;
    }
    time[i] = lt;
    seqs[i] = ls;
    lpOf[i] = ll;
    counts[lp]!++;
    const dest = remote >= 1 || rng.next() < remote ? rng.int(lps) : lp;
    push(now + lookahead + rng.exponential(1), dest);
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return events / wall;
}
