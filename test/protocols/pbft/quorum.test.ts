// Quorum sizes and exact prepared / committed-local thresholds (R-PR1, R-PR2, R-C3).

import { describe, expect, it } from "vitest";
import {
  faultsTolerated,
  KvApplication,
  makeConfig,
  quorumSize,
  Replica,
  weakQuorumSize,
} from "../../../src/protocols/pbft/index.js";
import { broadcasts, com, feed, has, pp, prep, req } from "./util.js";

describe("quorum sizes", () => {
  it("matches the table of pbft-spec §1.2", () => {
    const rows = [4, 5, 7, 10].map((n) => [n, faultsTolerated(n), quorumSize(n), weakQuorumSize(n)]);
    expect(rows).toEqual([
      [4, 1, 3, 2],
      [5, 1, 4, 2],
      [7, 2, 5, 3],
      [10, 3, 7, 4],
    ]);
    const c = makeConfig({ n: 10 });
    expect([c.f, c.quorum, c.weakQuorum, c.checkpointInterval, c.logWindow]).toEqual([3, 7, 4, 10, 20]);
  });
});

describe.each([4, 5, 7, 10])("n=%i thresholds", (n) => {
  const Q = quorumSize(n);

  it("backup: Q−1 backup PREPAREs prepare, Q−2 do not; primary's PREPARE never counts", () => {
    const r = new Replica(1, makeConfig({ n }), new KvApplication());
    const p = pp(0, 1, [req(100, 1)]);
    const e0 = feed(r, 0, p);
    expect(broadcasts(e0, "prepare")).toBe(1); // own PREPARE counts as one backup
    // Q−3 other backups → Q−2 counted
    let j = 2;
    for (let k = 0; k < Q - 3; k++) expect(has(feed(r, j, prep(0, 1, p.digest, j++)), "prepared")).toBe(false);
    expect(r.slotInfo(1)!.prepared).toBe(false);
    // the primary's PREPARE and a duplicate do not help
    expect(has(feed(r, 0, prep(0, 1, p.digest, 0)), "prepared")).toBe(false);
    if (j > 2) expect(has(feed(r, 2, prep(0, 1, p.digest, 2)), "prepared")).toBe(false);
    // a PREPARE for another digest does not help either
    expect(has(feed(r, j, prep(0, 1, "other", j)), "prepared")).toBe(false);
    j++;
    const e1 = feed(r, j, prep(0, 1, p.digest, j));
    expect(has(e1, "prepared")).toBe(true);
    expect(broadcasts(e1, "commit")).toBe(1);
    expect(r.slotInfo(1)!.prepareCount).toBe(Q - 1);

    // commits: own + (Q−2) others = Q−1 → not committed; one more → committed-local and executed
    for (let k = 0, s = 0; k < Q - 2; s++) {
      if (s === 1) continue;
      expect(has(feed(r, s, com(0, 1, p.digest, s)), "committedLocal")).toBe(false);
      k++;
    }
    expect(r.slotInfo(1)!.commitCount).toBe(Q - 1);
    const last = n - 1;
    const e2 = feed(r, last, com(0, 1, p.digest, last));
    expect(has(e2, "committedLocal")).toBe(true);
    expect(has(e2, "executed")).toBe(true);
    expect(r.lastExecuted).toBe(1);
  });

  it("primary: needs Q−1 backup PREPAREs after its pre-prepare", () => {
    const r = new Replica(0, makeConfig({ n }), new KvApplication());
    r.receiveRequest(100, { type: "request", request: req(100, 1) }, 0);
    const e = r.drainEffects();
    const sent = e.find((x) => x.kind === "broadcast" && x.msg.type === "pre-prepare");
    expect(sent).toBeDefined();
    const d = (sent as { msg: { digest: string } }).msg.digest;
    for (let j = 1; j <= Q - 2; j++) expect(has(feed(r, j, prep(0, 1, d, j)), "prepared")).toBe(false);
    expect(has(feed(r, Q - 1, prep(0, 1, d, Q - 1)), "prepared")).toBe(true);
  });
});

describe("commit quorum edge", () => {
  it("exactly Q COMMITs (own included) commit for n=5 (Q=4)", () => {
    const n = 5;
    const r = new Replica(2, makeConfig({ n }), new KvApplication());
    const p = pp(0, 1, [req(100, 1)]);
    feed(r, 0, p);
    feed(r, 1, prep(0, 1, p.digest, 1));
    const e = feed(r, 3, prep(0, 1, p.digest, 3));
    expect(has(e, "prepared")).toBe(true);
    expect(has(feed(r, 0, com(0, 1, p.digest, 0)), "committedLocal")).toBe(false);
    expect(has(feed(r, 1, com(0, 1, p.digest, 1)), "committedLocal")).toBe(false);
    expect(has(feed(r, 1, com(0, 1, p.digest, 1)), "committedLocal")).toBe(false); // duplicate
    expect(has(feed(r, 4, com(0, 1, p.digest, 4)), "committedLocal")).toBe(true);
  });
});
