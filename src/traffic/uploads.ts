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
  const out: number[] = [];
  pickUploadTargetsInto(out, [], replicas, nodes, rng, online);
  return out;
}

/**
 * pickUploadTargets into reused arrays (per-request worlds draw one upload in ten): `out` receives the
 * targets (its old entries are dropped), `pool` is scratch for the online nodes. Same draws, same
 * targets (pickUploadTargets is this with fresh arrays; test/traffic/model.test.ts compares reused
 * records with fresh ones). Entries are written by index, never by `length = 0` first: V8 frees an
 * array's backing store when its length is set to 0, and the next write would allocate a new one.
 */
export function pickUploadTargetsInto(
  out: number[],
  pool: number[],
  replicas: number,
  nodes: number,
  rng: Stream,
  online?: OnlinePredicate,
): void {
  let m = nodes;
  if (online) {
    m = 0;
    for (let n = 0; n < nodes; n++) if (online(n)) pool[m++] = n;
  }
  const k = uploadChargeMultiplier(replicas, m);
  let c = 0;
  for (let j = m - k; j < m; j++) {
    const t = rng.int(j + 1);
    let taken = false;
    for (let i = 0; i < c && !taken; i++) taken = out[i] === t;
    out[c++] = taken ? j : t;
  }
  out.length = c;
  if (online) for (let i = 0; i < c; i++) out[i] = pool[out[i]!]!;
}
