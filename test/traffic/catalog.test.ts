// Popularity and placement: Zipf frequencies, k distinct deterministic holders, node shares
// (sum and agreement with empirical serving), offline replicas; upload targets and charges.

import { describe, expect, it } from "vitest";
import { Catalog, chargeFor, pickUploadTargets, uploadChargeMultiplier } from "../../src/traffic/index.js";
import { stream } from "./support.js";

const cfg = { files: 1000, zipfExponent: 1, replicas: 3, nodes: 10 };

describe("catalog", () => {
  it("top file is drawn with its Zipf probability", () => {
    const c = new Catalog(cfg, stream("place"));
    let h = 0;
    for (let i = 1; i <= 1000; i++) h += 1 / i;
    expect(c.probability(0)).toBeCloseTo(1 / h, 12);
    const r = stream("pick");
    const n = 100_000;
    let top = 0;
    let second = 0;
    for (let i = 0; i < n; i++) {
      const f = c.pickFile(r);
      if (f === 0) top++;
      else if (f === 1) second++;
    }
    expect(Math.abs(top / n - 1 / h)).toBeLessThan(0.005);
    expect(Math.abs(second / n - 1 / (2 * h))).toBeLessThan(0.005);
  });

  it("places every file on k distinct nodes, evenly and deterministically", () => {
    const a = new Catalog(cfg, stream("place"));
    const b = new Catalog(cfg, stream("place"));
    const other = new Catalog(cfg, stream("elsewhere"));
    const load = new Float64Array(cfg.nodes);
    let differs = false;
    for (let f = 0; f < cfg.files; f++) {
      const hs = a.holders(f);
      expect(hs).toHaveLength(3);
      expect(new Set(hs).size).toBe(3);
      expect(hs.every((n) => Number.isInteger(n) && n >= 0 && n < cfg.nodes)).toBe(true);
      expect(b.holders(f)).toEqual(hs);
      if (other.holders(f).join() !== hs.join()) differs = true;
      for (const n of hs) load[n]!++;
    }
    expect(differs).toBe(true);
    for (const l of load) expect(Math.abs(l - 300)).toBeLessThan(80);
  });

  it("rejects more replicas than nodes", () => {
    expect(() => new Catalog({ ...cfg, replicas: 11 }, stream(1))).toThrow(/replicas/);
  });

  it("nodeShares sums to 1 and matches empirical serving frequencies", () => {
    const c = new Catalog(cfg, stream("place"));
    const shares = c.nodeShares();
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const r = stream("serve");
    const n = 200_000;
    const hits = new Float64Array(cfg.nodes);
    for (let i = 0; i < n; i++) hits[c.pickServer(c.pickFile(r), r)!]!++;
    for (let j = 0; j < cfg.nodes; j++) expect(Math.abs(hits[j]! / n - shares[j]!)).toBeLessThan(0.005);
  });

  it("with nodes offline: only online holders serve, lost mass = files with no online holder", () => {
    const c = new Catalog({ ...cfg, nodes: 6 }, stream("place"));
    const down = new Set([0, 1, 2]);
    const online = (n: number) => !down.has(n);
    const shares = c.nodeShares(online);
    let lost = 0;
    for (let f = 0; f < cfg.files; f++) if (c.holders(f).every((h) => down.has(h))) lost += c.probability(f);
    expect(lost).toBeGreaterThan(0);
    for (const d of down) expect(shares[d]).toBe(0);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1 - lost, 12);

    const r = stream("serve-offline");
    const n = 200_000;
    const hits = new Float64Array(6);
    let none = 0;
    for (let i = 0; i < n; i++) {
      const f = c.pickFile(r);
      const s = c.pickServer(f, r, online);
      if (s === undefined) none++;
      else hits[s]!++;
    }
    expect(hits[0]! + hits[1]! + hits[2]!).toBe(0);
    expect(Math.abs(none / n - lost)).toBeLessThan(0.005);
    for (let j = 3; j < 6; j++) expect(Math.abs(hits[j]! / n - shares[j]!)).toBeLessThan(0.005);
    // The cache must not leak between online sets.
    expect(c.nodeShares().reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(c.nodeShares(online)).toEqual(shares);
  });

  it("pickServer gives undefined when every holder is down", () => {
    const c = new Catalog({ files: 1, zipfExponent: 0, replicas: 2, nodes: 4 }, stream(1));
    const hs = c.holders(0);
    expect(c.pickServer(0, stream(2), (n) => !hs.includes(n))).toBeUndefined();
    expect(hs).toContain(c.pickServer(0, stream(2), (n) => n === hs[1]));
  });
});

describe("uploads", () => {
  it("targets k distinct online nodes uniformly", () => {
    const r = stream("up");
    const online = (n: number) => n % 4 !== 0; // 15 of 20 online
    const hits = new Float64Array(20);
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const t = pickUploadTargets(3, 20, r, online);
      if (t.length !== 3 || new Set(t).size !== 3 || !t.every(online)) throw new Error(`bad targets ${t}`);
      for (const x of t) hits[x]!++;
    }
    for (let j = 0; j < 20; j++) {
      if (!online(j)) expect(hits[j]).toBe(0);
      else expect(Math.abs(hits[j]! / n - 3 / 15)).toBeLessThan(0.01);
    }
  });

  it("writes to every online node when fewer than k are up, none when all are down", () => {
    expect(pickUploadTargets(3, 5, stream(1), (n) => n < 2).sort()).toEqual([0, 1]);
    expect(pickUploadTargets(3, 5, stream(1), () => false)).toEqual([]);
    expect(uploadChargeMultiplier(3, 2)).toBe(2);
    expect(uploadChargeMultiplier(3, 10)).toBe(3);
  });

  it("charges uploads per replica and downloads once", () => {
    expect(chargeFor("upload", 1000, 3)).toBe(3000);
    expect(chargeFor("download", 1000, 3)).toBe(1000);
  });
});
