// traffic/uploads: where an upload goes and what it costs. An upload is a new object (outside
// the download catalog, which models the steady-state population) written to k distinct online
// nodes chosen uniformly; per pot-spec §3.3 the user is charged for every replica written, so
// each target is credited `bytes` and the charge is bytes × replicas written.
// May import: kernel (Stream), ./catalog (types).

import type { Stream } from "../kernel/index.js";
import type { OnlinePredicate } from "./catalog.js";

/** Replicas an upload writes (and is charged for): k, or every online node if fewer are up. */
export function uploadChargeMultiplier(replicas: number, onlineNodes: number): number {
  return Math.min(replicas, onlineNodes);
}

/** Noz charged for a request: downloads pay once, uploads once per replica written. */
export function chargeFor(kind: "download" | "upload", bytes: number, replicasWritten: number): number {
  return kind === "download" ? bytes : bytes * replicasWritten;
}

/**
 * min(k, online) distinct online nodes, uniform over subsets (Floyd's algorithm: k draws,
 * O(k²) membership checks), in draw order; [] if none is online. O(nodes) when `online` is given.
 */
export function pickUploadTargets(replicas: number, nodes: number, rng: Stream, online?: OnlinePredicate): number[] {
  let pool: number[] | undefined;
  if (online) {
    pool = [];
    for (let n = 0; n < nodes; n++) if (online(n)) pool.push(n);
  }
  const m = pool ? pool.length : nodes;
  const k = uploadChargeMultiplier(replicas, m);
  const chosen: number[] = [];
  for (let j = m - k; j < m; j++) {
    const t = rng.int(j + 1);
    chosen.push(chosen.includes(t) ? j : t);
  }
  return pool ? chosen.map((i) => pool[i]!) : chosen;
}
