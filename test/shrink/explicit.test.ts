// Phase 2 of the shrink on its own: what the seed drew, declared instead of drawn, is the same run.
// The recorder replays the network's loss, duplication and rule draws beside the run and the fault
// mix from the seed's own stream; declaring them (and the random partitions it watched) must give
// the same trace hash as drawing them, over whole runs with hundreds of drawn effects. Latency made
// explicit is exact up to the last bit of some arrival times, so there the test compares the event
// sequence (times to 12 digits) and checks that the seed no longer matters.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/index.js";
import { convertibleSources, explicitSchedule, record, remainingDraws, type Source } from "../../src/shrink/explicit.js";
import { normalize } from "../../src/shrink/oracle.js";
import { Recorder } from "../../src/shrink/record.js";
import { runCandidate } from "../../src/shrink/run.js";
import { materialize } from "../../src/shrink/schedule.js";
import type { Scenario } from "../../src/shrink/edit.js";
import { NoopObserver } from "../../src/world/index.js";

const root = join(import.meta.dirname, "..", "..");
const load = (f: string) => loadScenario(join(root, f)) as Scenario;

/** The explicit form of `s` for `seed`, with the given sources (all convertible ones but latency by default). */
function explicit(s: Scenario, seed: number, sources: Source[] = convertibleSources(s).filter((x) => x !== "latency")) {
  const recording = record(s, seed, { loss: true, duplicate: true, rules: true, latency: sources.includes("latency") }, undefined);
  const schedule = explicitSchedule(s, seed, sources, recording);
  const n = normalize(materialize(schedule, schedule.elements));
  if ("invalid" in n) throw new Error(n.invalid);
  return { scenario: n.scenario, recording, sources };
}

/** Every send, delivery and drop with its time to 12 significant digits. */
class EventLog extends NoopObserver {
  readonly lines: string[] = [];
  override sent(id: number, from: number, to: number, kind: string, _b: number, _m: unknown, now: number): void {
    this.lines.push(`S ${id} ${kind} ${from}>${to} ${now.toPrecision(12)}`);
  }
  override delivered(id: number, from: number, to: number, kind: string, _b: number, _m: unknown, now: number): void {
    this.lines.push(`D ${id} ${kind} ${from}>${to} ${now.toPrecision(12)}`);
  }
  override dropped(id: number, _f: number, _t: number, kind: string, _b: number, _m: unknown, _r: string, atSend: boolean, now: number): void {
    this.lines.push(`X ${id} ${kind} ${atSend} ${now.toPrecision(12)}`);
  }
}

describe("shrink phase 2: the seed's draws declared", () => {
  it("mutation-hunt: the random fault mix and the probabilistic drops and delays, declared, are the same run", () => {
    const s = load("scenarios/mutation-hunt.yaml");
    expect(convertibleSources(s)).toEqual(["faults", "rules", "latency"]);
    for (const seed of [1, 2, 3]) {
      const { scenario, recording } = explicit(s, seed);
      // hundreds of copies affected: the p = 0.5 and 0.1 drops from t = 1 s and the p = 0.5 view-change delay
      expect(recording.effects.length).toBeGreaterThan(200);
      expect(recording.effects.some((e) => e.action === "delay")).toBe(true);
      expect(scenario.pbft!.randomFaults).toBeNull();
      expect(scenario.pbft!.faults).toHaveLength(1);
      expect(scenario.pbft!.faults[0]!.type).toBe("twoFaced");
      expect(scenario.network.rules.every((r) => r.probability === 1)).toBe(true);
      expect(remainingDraws(scenario)).toEqual(["latency (uniform)", "reordering jitter"]);
      const a = runCandidate(s, seed, { full: true });
      const b = runCandidate(scenario, seed, { full: true });
      expect(b.events).toBe(a.events);
      expect(b.traceHash).toBe(a.traceHash);
    }
  });

  it("mutation-fuzz without its mutating replica: random partitions, loss and duplication, declared, are the same run", () => {
    const s = load("scenarios/attacks/mutation-fuzz.yaml");
    s.pbft!.faults = [];
    expect(convertibleSources(s)).toEqual(["partitions", "loss", "duplicate", "latency"]);
    for (const seed of [1, 2, 3]) {
      const { scenario, recording } = explicit(s, seed);
      expect(recording.partitions.length).toBeGreaterThan(2);
      expect(recording.losses).toBeGreaterThan(5);
      expect(recording.effects.some((e) => e.action === "duplicate")).toBe(true);
      expect(scenario.network.randomPartitions).toBeNull();
      expect(scenario.network.loss).toBe(0);
      expect(scenario.network.duplicate).toBe(0);
      expect(scenario.network.partitions).toHaveLength(recording.partitions.length);
      const a = runCandidate(s, seed, { full: true });
      const b = runCandidate(scenario, seed, { full: true });
      expect(b.traceHash).toBe(a.traceHash);
    }
  });

  it("latency and reordering jitter, declared as a constant and per-copy delays: the same events, and any seed gives the same run", () => {
    const s = load("scenarios/mutation-hunt.yaml");
    s.until = 0.3;
    for (const seed of [1, 2]) {
      const { scenario, recording } = explicit(s, seed, convertibleSources(s));
      expect(recording.latency).toBeGreaterThanOrEqual(0.002);
      expect(scenario.network.latency).toEqual({ model: "constant", value: recording.latency });
      expect(scenario.network.reorder).toBeNull();
      expect(remainingDraws(scenario)).toEqual([]);
      const a = new EventLog();
      const b = new EventLog();
      runCandidate(s, seed, { full: true, observer: a });
      runCandidate(scenario, seed, { full: true, observer: b });
      expect(b.lines.length).toBeGreaterThan(300);
      expect(b.lines).toEqual(a.lines);
      expect(runCandidate(scenario, seed + 100, { full: true }).traceHash).toBe(runCandidate(scenario, seed, { full: true }).traceHash);
    }
  });

  it("the recorder's loss replay is checked against the network: the wrong seed's draws are an error", () => {
    const s = load("scenarios/attacks/mutation-fuzz.yaml");
    s.pbft!.faults = [];
    const recorder = new Recorder(s, 2, { loss: true, duplicate: true, rules: true, latency: false });
    runCandidate(s, 1, { full: true, observer: recorder });
    expect(() => recorder.finish()).toThrow(/no longer matches net\/network\.ts/);
  });
});
