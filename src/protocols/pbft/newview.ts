// NEW-VIEW construction (OSDI §4.4 / pbft-spec.md §7.5): from a set V of VIEW-CHANGE messages
// compute min-s (latest proven stable checkpoint), max-s and the O set (highest-view prepared
// certificate per sequence number, null requests for gaps). Pure and deterministic: V is read
// in the given order (callers sort by sender), ties at the same view go to the smallest digest.

import { type Checkpoint, makeDigestPrePrepare, type NewView, type ViewChange } from "./messages.js";
import { NULL_DIGEST } from "./types.js";

export interface PlannedSlot {
  readonly seq: number;
  readonly digest: string;
  /** View of the chosen certificate (−1 for a null fill). */
  readonly certView: number;
  /** Two certificates at the chosen (highest) view disagreed: impossible with ≤ f faults. */
  readonly tie: boolean;
}

export interface NewViewPlan {
  readonly minS: number;
  readonly minDigest: string;
  readonly minProof: ReadonlyArray<Checkpoint>;
  readonly maxS: number;
  readonly slots: ReadonlyArray<PlannedSlot>;
  /** Two messages in V proved different digests for the checkpoint at min-s. */
  readonly checkpointConflict: boolean;
}

/** Computes min-s, max-s and O from V (§7.5 steps 1–3). */
export function planNewView(vcs: ReadonlyArray<ViewChange>): NewViewPlan {
  let minS = 0;
  let minDigest = "";
  let minProof: ReadonlyArray<Checkpoint> = [];
  let checkpointConflict = false;
  for (const vc of vcs) {
    if (vc.stableSeq > minS) {
      minS = vc.stableSeq;
      minDigest = vc.stableDigest;
      minProof = vc.proof;
      checkpointConflict = false;
    } else if (vc.stableSeq === minS && minS > 0 && vc.stableDigest !== minDigest) {
      checkpointConflict = true;
    }
  }
  let maxS = minS;
  const best = new Map<number, { view: number; digest: string; tie: boolean }>();
  for (const vc of vcs) {
    for (const c of vc.prepared) {
      if (c.seq <= minS) continue;
      if (c.seq > maxS) maxS = c.seq;
      const b = best.get(c.seq);
      if (b === undefined) {
        best.set(c.seq, { view: c.view, digest: c.digest, tie: false });
      } else if (c.view > b.view) {
        b.view = c.view;
        b.digest = c.digest;
        b.tie = false;
      } else if (c.view === b.view && c.digest !== b.digest) {
        b.tie = true;
        if (c.digest < b.digest) b.digest = c.digest;
      }
    }
  }
  const slots: PlannedSlot[] = [];
  for (let s = minS + 1; s <= maxS; s++) {
    const b = best.get(s);
    slots.push(
      b === undefined
        ? { seq: s, digest: NULL_DIGEST, certView: -1, tie: false }
        : { seq: s, digest: b.digest, certView: b.view, tie: b.tie },
    );
  }
  return { minS, minDigest, minProof, maxS, slots, checkpointConflict };
}

/**
 * NEW-VIEW of `replica` for `view` from V (ascending by sender), with min-s, max-s and O as §7.5
 * computes them from V; `plan` when the caller already computed it.
 */
export function makeNewView(view: number, replica: number, viewChanges: ReadonlyArray<ViewChange>, plan: NewViewPlan = planNewView(viewChanges)): NewView {
  const prePrepares = plan.slots.map((s) => makeDigestPrePrepare(view, s.seq, s.digest, replica));
  return { type: "new-view", view, replica, viewChanges, minS: plan.minS, maxS: plan.maxS, prePrepares };
}
