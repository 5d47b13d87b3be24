// The pure parts of trace.html's viewer, in Node: the model built from the embedded columns, the
// causal past (happens-before) of an event, and the chunked time index against a brute-force scan.

import { afterAll, describe, expect, it } from "vitest";
import { buildModel, causalPast, type TraceData, traceHtml, viewerData, visibleArrows } from "../../src/trace/index.js";
import { cleanTempDirs, RICH_PBFT, scenarioText, tracedRun } from "./support.js";

afterAll(cleanTempDirs);

/** Reference happens-before: the transitive closure of same-lane order and send → delivery, by search. */
function pastByClosure(lane: Int32Array, peer: Int32Array, isDelivery: Uint8Array, start: number): Uint8Array {
  const past = new Uint8Array(lane.length);
  const todo = [start];
  past[start] = 1;
  while (todo.length > 0) {
    const e = todo.pop()!;
    const pre: number[] = [];
    for (let j = e - 1; j >= 0; j--) if (lane[j] === lane[e] && lane[e]! >= 0) { pre.push(j); break; }
    if (isDelivery[e] === 1 && peer[e]! >= 0) pre.push(peer[e]!);
    for (const p of pre) if (past[p] === 0) { past[p] = 1; todo.push(p); }
  }
  return past;
}

describe("trace.html viewer model", () => {
  let data: TraceData;
  const get = async () => (data ??= (await tracedRun(scenarioText(RICH_PBFT))).data);

  it("causal past equals the transitive closure of lane order and send → delivery", async () => {
    const d = viewerData(await get());
    const m = buildModel(d);
    const isDelivery = Uint8Array.from(d.ev, (e) => (e === 1 ? 1 : 0));
    for (const start of [10, 500, 2000, m.count - 1]) {
      expect(causalPast(m.lane, m.peer, isDelivery, m.lanes, start)).toEqual(pastByClosure(m.lane, m.peer, isDelivery, start));
    }
    // a replica's last event has in its past the client's first send (everything flows from requests);
    // row 0, the fault plan, belongs to no node and to nobody's past
    expect(d.events[d.ev[0]!]).toBe("fault_plan");
    expect(d.events[d.ev[1]!]).toBe("send");
    const past = causalPast(m.lane, m.peer, isDelivery, m.lanes, m.count - 1);
    expect([past[0], past[1]]).toEqual([0, 1]);
  });

  it("the chunked time index finds exactly the arrows a full scan finds", async () => {
    const m = buildModel(viewerData(await get()));
    const show = new Uint8Array(m.arrows).fill(1);
    for (let i = 0; i < m.arrows; i += 3) show[i] = 0;
    const out = new Int32Array(m.arrows);
    for (const [t0, t1] of [[0, 40], [4, 4.5], [12.3, 12.31], [39.9, 100], [-5, -1]] as const) {
      const n = visibleArrows(m, show, t0, t1, out);
      const brute: number[] = [];
      for (let i = 0; i < m.arrows; i++) if (show[i] === 1 && m.aT0[i]! <= t1 && m.aT1[i]! >= t0) brute.push(i);
      expect([...out.subarray(0, n)], `${t0}..${t1}`).toEqual(brute);
    }
  });

  it("arrows are one per delivery or drop, start at their send, sorted by start; windows and views come from the events", async () => {
    const d = viewerData(await get());
    const m = buildModel(d);
    expect(m.arrows).toBe(d.ev.filter((e) => e === 1 || e === 2).length);
    for (let i = 1; i < m.arrows; i++) expect(m.aT0[i]!).toBeGreaterThanOrEqual(m.aT0[i - 1]!);
    for (let i = 0; i < m.arrows; i++) {
      const r = m.aRow[i]!;
      expect(m.aT0[i]).toBe(d.peer[r]! >= 0 ? d.t[d.peer[r]!] : d.t[r]);
    }
    expect(m.downSegs[3]).toEqual([10.5, 18]);
    expect(m.partitions).toEqual([{ t0: 4, t1: 8, lanes: [0] }]);
    // replica 2 changes to view 1 (t = 6.57, during the partition of the primary) and installs it (t = 6.61): a
    // view-change segment, then the new view (before pbft.md R-T1 it suspected at 1.71, prepared on slot 11 whose
    // COMMITs the lossy network had dropped; now it asks for them first)
    const segs = m.viewSegs[2]!;
    const views = [];
    for (let s = 0; s < segs.length; s += 4) views.push([segs[s + 2], segs[s + 3]]);
    expect(views.slice(0, 3)).toEqual([[0, 0], [1, 1], [1, 0]]);
    expect(segs.slice(4, 6).map((x) => Math.round(x * 100) / 100)).toEqual([6.57, 6.61]);
  });

  it("trace.html embeds the data as columns and inlines the viewer's functions", async () => {
    const html = traceHtml(await get());
    expect(html).toContain('<script type="application/json" id="potsim-trace-data">{"meta":');
    expect(html).toMatch(/function buildModel\(/);
    expect(html).toMatch(/function startViewer\(/);
    expect(html).not.toMatch(/<\/script>[^<]*<\/script>\s*<\/script>/);
  });
});
