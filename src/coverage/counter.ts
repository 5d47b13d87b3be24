// The coverage counter: a world observer that counts how often one run reached each protocol path
// (paths.ts). It watches the observation stream only — replicas, clients, hosts and the PoT economy
// report what they did, and this file decides what counts — so no protocol code knows it exists.
// Replica paths count at correct replicas only (not those the fault plan makes faulty: a Byzantine
// replica's "view change" says nothing about the honest code's coverage); crash recoveries count at
// any replica (an amnesiac one is faulty by construction and is the only way to lose a log).

import type { ClientObservation, Observation } from "../protocols/pbft/index.js";
import { type EconomicEvent, type HostEvent, NoopObserver, type WorldDescription } from "../world/observe.js";
import { pathsOf, rejectionPath } from "./paths.js";

/** Counts per path name, in paths.ts order (0 for paths the run's model has but never reached). */
export type CoverageCounts = Record<string, number>;

export class CoverageCounter extends NoopObserver {
  private readonly counts = new Map<string, number>();
  private faulty: ReadonlySet<number> = new Set();

  override begin(world: WorldDescription): void {
    this.counts.clear();
    for (const p of pathsOf(world.model)) this.counts.set(p.name, 0);
    this.faulty = new Set();
  }

  override host(ev: HostEvent, _now: number): void {
    if (ev.type === "faultPlan") this.faulty = new Set(ev.faulty);
    else if (ev.type === "recover") this.add(ev.log === "kept" ? "recover-kept" : "recover-lost");
  }

  override replica(_node: number, replica: number, ev: Observation, _now: number): void {
    if (this.faulty.has(replica)) return;
    switch (ev.type) {
      case "viewChangeStarted":
        this.add("view-change");
        return;
      case "newViewInstalled":
        if (ev.oSet > ev.nullFills) this.add("new-view-o-set"); // O re-proposes a request, not only null fills
        if (ev.nullFills > 0) this.add("null-fill");
        return;
      case "stateTransferred":
        this.add("state-transfer");
        return;
      case "checkpointStable":
        if (ev.collected > 0) this.add("checkpoint-gc");
        return;
      case "bodyFetched":
        this.add("body-fetch");
        return;
      case "equivocation":
        this.add("equivocation-seen");
        return;
      default:
        return;
    }
  }

  override client(_node: number, _client: number, ev: ClientObservation, _now: number): void {
    if (ev.type === "retransmitted") this.add("client-retransmit");
  }

  override economic(ev: EconomicEvent, _now: number): void {
    // The world reports each transaction once, at the first correct replica to execute it.
    if (ev.type === "reportExecuted" && !ev.accepted && ev.reason !== null) this.add(rejectionPath(ev.reason));
    else if (ev.type === "nodeSuspended") this.add("suspension");
    else if (ev.type === "rewardMatured") this.add("maturity");
  }

  private add(path: string): void {
    this.counts.set(path, (this.counts.get(path) ?? 0) + 1);
  }

  /** This run's counts (a reason the ledger gave that paths.ts does not list appears after the listed paths). */
  result(): CoverageCounts {
    return Object.fromEntries(this.counts);
  }
}
