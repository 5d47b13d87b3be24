// Seeded randomized runs (S12/S19/S25 flavour): message loss and jitter before a stabilisation
// time, up to f faulty replicas (crash, crash–restart with persistence or amnesia, or a Byzantine
// replica that drops, duplicates and perturbs its messages), random n, K, batching. Checks
// SAF-1, SAF-3 (correct replicas), SAF-5 (client results), liveness and convergence.

import { describe, expect, it } from "vitest";
import { faultsTolerated, KvApplication, type Message, Replica } from "../../../src/protocols/pbft/index.js";
import { Pump } from "./harness.js";

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLIENTS = [100, 101, 102];
const PER_CLIENT = 10;

function runSeed(seed: number) {
  const r = rng(seed);
  const n = [4, 5, 7, 10][Math.floor(r() * 4)]!;
  const f = faultsTolerated(n);
  const drop = r() * 0.15;
  const K = [2, 4, 10][Math.floor(r() * 3)]!;
  const p = new Pump({
    n,
    config: {
      checkpointInterval: K,
      logWindow: 2 * K,
      maxInFlight: 1 + Math.floor(r() * 4),
      maxBatchSize: 1 + Math.floor(r() * 3),
    },
    clients: CLIENTS,
  });
  const faulty = new Set<number>();
  const target = Math.floor(r() * (f + 1));
  while (faulty.size < target) faulty.add(Math.floor(r() * n));
  for (const x of faulty) {
    const tc = r() * 20;
    const mode = r();
    p.at(tc, () => p.crash(x));
    if (mode < 0.6) {
      p.at(tc + 1 + r() * 20, () => {
        const app = new KvApplication();
        let rep: Replica;
        if (mode < 0.3) rep = Replica.fromPersisted(p.replicas[x]!.persist(), p.config, app, p.now);
        else {
          rep = new Replica(x, p.config, app);
          rep.announce(p.now);
        }
        p.restart(x, rep, app);
      });
    }
  }
  const byz = faulty.size < f && r() < 0.5 ? [...Array(n).keys()].find((i) => !faulty.has(i))! : -1;
  if (byz >= 0) {
    p.tamper = (e) => {
      if (e.from !== byz) return [e.msg];
      const m = e.msg as unknown as Record<string, unknown>;
      const x = r();
      if (x < 0.2) return [];
      if (x < 0.35) return [e.msg, e.msg, e.msg];
      if (x < 0.5 && typeof m.digest === "string") return [{ ...m, digest: `bad${Math.floor(r() * 3)}` } as unknown as Message];
      if (x < 0.6 && typeof m.view === "number") return [{ ...m, view: m.view + (r() < 0.5 ? 1 : -1) } as unknown as Message];
      if (x < 0.7 && typeof m.seq === "number") return [{ ...m, seq: m.seq + Math.floor(r() * 50) } as unknown as Message];
      if (x < 0.75 && typeof m.lastExec === "number") return [{ ...m, lastExec: 0 } as unknown as Message];
      return [e.msg];
    };
  }
  p.filter = (_e, now) => {
    if (now > 60) return undefined;
    if (r() < drop) return "drop";
    return r() * 0.05;
  };
  for (const c of CLIENTS) {
    let k = 0;
    const next = () => {
      if (k < PER_CLIENT) p.submit(c, { type: "add", key: `k${c}`, delta: 1 + k++ });
    };
    p.at(r(), next);
    const log = p.clientObs.get(c)!;
    const push = log.push.bind(log);
    log.push = (...items) => {
      const res = push(...items);
      if (items.some((o) => o.type === "accepted")) p.at(p.now, next);
      return res;
    };
  }
  const done = p.runUntil(() => CLIENTS.every((c) => p.accepted(c).length === PER_CLIENT), 400);
  p.run(p.now + 40);
  return { p, n, faulty, byz, done };
}

describe("seeded fuzz runs", () => {
  // PBFT_FUZZ_SEEDS=N widens the sweep locally (default 40 seeds, ~1 s).
  const seeds = Array.from({ length: Number(process.env.PBFT_FUZZ_SEEDS ?? 40) }, (_, i) => i + 1);
  it.each(seeds)("seed %i", (seed) => {
    const { p, n, faulty, byz, done } = runSeed(seed);
    expect(done).toBe(true);
    const bySeq = new Map<number, string>();
    for (let i = 0; i < n; i++) {
      if (i === byz) continue;
      const seen = new Set<string>();
      for (const o of p.executed(i)) {
        const prev = bySeq.get(o.seq);
        if (prev !== undefined) expect(o.digest, `SAF-1 r${i} seq ${o.seq}`).toBe(prev);
        bySeq.set(o.seq, o.digest);
        if (faulty.has(i)) continue; // an amnesic restart may legitimately re-execute
        for (const q of o.requests) {
          expect(seen.has(q.digest), `SAF-3 r${i}`).toBe(false);
          seen.add(q.digest);
        }
      }
    }
    for (const c of CLIENTS) {
      const sums = Array.from({ length: PER_CLIENT }, (_, k) => String(((k + 1) * (k + 2)) / 2));
      expect(p.accepted(c).map((a) => a.result)).toEqual(sums);
    }
    const alive = [...Array(n).keys()].filter((i) => !p.down.has(i) && i !== byz);
    expect(new Set(alive.map((i) => p.apps[i]!.stateDigest())).size).toBe(1);
    expect(p.alarmsAnywhere()).toEqual([]);
  });
});
