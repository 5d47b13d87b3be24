// Deliberately broken replicas (pbft-scenarios.md "Mutations") built by overriding the protected
// decision hooks of Replica: no bug switches in the configuration.

import {
  type Checkpoint,
  type NewViewPlan,
  NULL_DIGEST,
  type PlannedSlot,
  Replica,
  type ReplicaMessage,
  type Slot,
  type ViewChange,
} from "../../../src/protocols/pbft/index.js";

/** M1: execute as soon as a slot is prepared (commit phase skipped). */
export class M1ExecuteOnPrepared extends Replica {
  protected override executeOnPrepared(): boolean {
    return true;
  }
}

/** M2: committed-local with 2f COMMITs instead of Q. */
export class M2CommitQuorum2f extends Replica {
  protected override commitQuorum(): number {
    return 2 * this.config.f;
  }
}

/**
 * M3: the primary's PREPARE is counted toward the prepared certificate (and accepted in VIEW-CHANGE
 * proofs). A variant overriding only `preparedPredicate` (raw count) is M3b below.
 */
export class M3PrimaryPrepareCounted extends Replica {
  protected override countsPrepareFrom(_sender: number, _view: number): boolean {
    return true;
  }
}

/** M4: quorum 2f+1 regardless of n (unsafe for n = 3f+2). */
export class M4Quorum2f1 extends Replica {
  protected override quorum(): number {
    return 2 * this.config.f + 1;
  }
}

/** M8: low watermark not enforced for PRE-PREPAREs (n ≤ h accepted). */
export class M8NoLowWatermark extends Replica {
  protected override acceptPrePrepareWindow(seq: number): boolean {
    return seq > 0 && seq <= this.highWatermark;
  }
}

/** M10: execute any committed slot as soon as possible, ignoring sequence order. */
export class M10OutOfOrder extends Replica {
  protected override nextExecutable(): number {
    let best = -1;
    for (const slot of this.slots.values() as Iterable<Slot>) {
      if (slot.executed || slot.committedDigest === null || slot.seq <= this.lowWatermark) continue;
      if (this.bodyOf(slot.committedDigest) === null) continue;
      if (best < 0 || slot.seq < best) best = slot.seq;
    }
    return best;
  }
}

/** M3b: prepared predicate over all logged PREPAREs (the primary's included); proofs unchanged. */
export class M3bRawPreparedPredicate extends Replica {
  protected override preparedPredicate(slot: Slot): boolean {
    return slot.digest !== null && slot.prepares.count(slot.digest) >= this.prepareQuorum();
  }
}

// ---- view-change and checkpoint machinery (issue 17's mutation gate) -------------------------------
// Each breaks one decision of §7 / §6 and is caught by `sim check` on a named scenario with the
// Twins generator or message mutation (test/world/pbft/mutation-gate.test.ts).

/** §7.5 with one step changed: certificates chosen by lowest view, or the lowest checkpoint as min-s. */
function plannedWith(vcs: ReadonlyArray<ViewChange>, o: { lowestView?: boolean; lowestCheckpoint?: boolean }): NewViewPlan {
  let minS = o.lowestCheckpoint ? Number.POSITIVE_INFINITY : 0;
  let minDigest = "";
  let minProof: ReadonlyArray<Checkpoint> = [];
  for (const vc of vcs) {
    const better = o.lowestCheckpoint ? vc.stableSeq < minS : vc.stableSeq > minS;
    if (better) {
      minS = vc.stableSeq;
      minDigest = vc.stableDigest;
      minProof = vc.proof;
    }
  }
  if (!Number.isFinite(minS)) minS = 0;
  let maxS = minS;
  const best = new Map<number, { view: number; digest: string }>();
  for (const vc of vcs) {
    for (const c of vc.prepared) {
      if (c.seq <= minS) continue;
      if (c.seq > maxS) maxS = c.seq;
      const b = best.get(c.seq);
      const wins = b === undefined || (o.lowestView ? c.view < b.view : c.view > b.view) || (c.view === b.view && c.digest < b.digest);
      if (wins) best.set(c.seq, { view: c.view, digest: c.digest });
    }
  }
  const slots: PlannedSlot[] = [];
  for (let s = minS + 1; s <= maxS; s++) {
    const b = best.get(s);
    slots.push(b === undefined ? { seq: s, digest: NULL_DIGEST, certView: -1, tie: false } : { seq: s, digest: b.digest, certView: b.view, tie: false });
  }
  return { minS, minDigest, minProof, maxS, slots, checkpointConflict: false };
}

/** M11: the new primary re-proposes, per sequence number, the certificate of the lowest view in V (not the highest). */
export class M11LowestViewCertificate extends Replica {
  protected override newViewPlan(vcs: ReadonlyArray<ViewChange>): NewViewPlan {
    return plannedWith(vcs, { lowestView: true });
  }
}

/** M12: a NEW-VIEW is built (and accepted) with f+1 VIEW-CHANGEs instead of Q. */
export class M12NewViewWeakQuorum extends Replica {
  protected override newViewQuorum(): number {
    return this.config.weakQuorum;
  }
}

/** M13: the NEW-VIEW's starting checkpoint (min-s) is the lowest stable checkpoint in V, not the highest. */
export class M13LowestStartingCheckpoint extends Replica {
  protected override newViewPlan(vcs: ReadonlyArray<ViewChange>): NewViewPlan {
    return plannedWith(vcs, { lowestCheckpoint: true });
  }
}

/** M14: a VIEW-CHANGE's P keeps only certificates of the view just left, forgetting older views'. */
export class M14PreparedSetForgetsOlderViews extends Replica {
  protected override keepsPreparedCert(certView: number): boolean {
    return certView >= this.view - 1;
  }
}

/** M15: duplicate COMMITs are not suppressed — every COMMIT message counts toward committed-local. */
export class M15CountsDuplicateCommits extends Replica {
  private readonly raw = new Map<string, number>();

  override step(from: number, msg: ReplicaMessage, now: number): void {
    if (typeof msg === "object" && msg !== null && msg.type === "commit" && msg.replica === from) {
      const k = `${msg.view}|${msg.seq}|${msg.digest}`;
      this.raw.set(k, (this.raw.get(k) ?? 0) + 1);
    }
    super.step(from, msg, now);
    // a duplicate returns before the commit check: count it now
    if (typeof msg === "object" && msg !== null && msg.type === "commit") {
      const slot = this.slots.get(msg.seq);
      if (slot !== undefined && slot.view === msg.view && slot.view === this.view) this.checkCommitted(slot);
    }
  }

  protected override committedPredicate(slot: Slot): boolean {
    if (!slot.prepared || slot.digest === null) return false;
    const own = slot.commits.voters(slot.digest)?.has(this.id) ? 1 : 0;
    return own + (this.raw.get(`${slot.view}|${slot.seq}|${slot.digest}`) ?? 0) >= this.commitQuorum();
  }
}
