// Deliberately broken replicas (pbft-scenarios.md "Mutations") built by overriding the protected
// decision hooks of Replica: no bug switches in the configuration.

import { Replica, type Slot } from "../../../src/protocols/pbft/index.js";

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
