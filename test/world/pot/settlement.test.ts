// The meta nodes' settlement rule (economics.metaNodes.settleFraction): each epoch only the wallets
// that together served the largest fraction of its traffic are reported; the rest carries over.

import { describe, expect, it } from "vitest";
import { createSharedCache, STOS } from "../../../src/protocols/pot/index.js";
import { MetaCommittee } from "../../../src/world/pot/actors.js";
import { ReportCodec } from "../../../src/world/pot/app.js";
import { potWorld, table } from "./support.js";

function committee(fraction: number, wallets = ["a", "b", "c", "d", "e"]): MetaCommittee {
  const c = new MetaCommittee(7, wallets, [], createSharedCache(), new ReportCodec(), fraction);
  c.outstandingNoz = STOS;
  return c;
}

describe("settlement fraction", () => {
  it("settles the largest wallets covering the fraction and carries the rest into the next epoch", () => {
    const c = committee(0.8);
    c.vol.set([100, 500, 0, 300, 100.7]); // total 1000 after flooring
    const first = c.closeEpoch()!;
    // 500 + 300 = 800 reaches 80%; the two 100s (tie broken by slot: a before e) are held back.
    expect(first.wallets).toEqual(["b", "d"]);
    expect([...first.volumes]).toEqual([500, 300]);
    expect(c.carriedNoz).toBe(200);
    expect([...c.vol]).toEqual([100, 0, 0, 0, 100]);

    c.vol[2] += 50; // next epoch: c serves 50 more; the carried volume is still there
    const second = c.closeEpoch()!;
    // a 100 + e 100 = 200 ≥ 0.8 × 250: c's 50 carries over in turn.
    expect(second.wallets).toEqual(["a", "e"]);
    expect([...second.volumes]).toEqual([100, 100]);
    expect([...c.vol]).toEqual([0, 0, 50, 0, 0]);
    expect(c.carriedNoz).toBe(250);
  });

  it("settles everything at fraction 1 and resets the counters", () => {
    const c = committee(1);
    c.vol.set([100, 500, 0, 300, 100]);
    expect(c.closeEpoch()!.wallets).toEqual(["a", "b", "d", "e"]);
    expect([...c.vol]).toEqual([0, 0, 0, 0, 0]);
    expect(c.carriedNoz).toBe(0);
  });

  it("in a world: fewer wallets per report, volume carried, supply conserved, replicas agree", () => {
    const all = potWorld();
    const top = potWorld({ economics: { metaNodes: { settleFraction: 0.8 } } });
    type S = { reports: { accepted: number; carriedNoz?: number; settleFraction?: number }; correctReplicasInSync: boolean };
    const sAll = all.out.summary as unknown as S;
    const sTop = top.out.summary as unknown as S;
    expect(sAll.reports.carriedNoz).toBeUndefined();
    expect([sTop.reports.settleFraction, sTop.reports.carriedNoz! > 0]).toEqual([0.8, true]);
    expect(sTop.reports.accepted).toBe(sAll.reports.accepted);
    expect([sTop.correctReplicasInSync, top.out.violations]).toEqual([true, []]);
    const entries = (w: typeof all) => table(w.out, "epochs").map((e) => Number(e.entries));
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(entries(top))).toBeLessThan(sum(entries(all)));
  });
});
