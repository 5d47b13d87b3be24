// SnapshotShare (protocols/pot/shared.ts): ledgers on one shared cache with equal states get one
// snapshot object at a checkpoint; it never carries a later change of one ledger into another.

import { describe, expect, it } from "vitest";
import { createSharedCache, PotLedger, STOS } from "../../../src/protocols/pot/index.js";
import { activeLedger, expectOk, report, smallGenesis } from "./helpers.js";

function restoredDigest(snap: ReturnType<PotLedger["snapshot"]>): string {
  const fresh = new PotLedger(smallGenesis());
  fresh.restore(snap);
  return fresh.stateDigest();
}

describe("shared ledger snapshots", () => {
  it("equal states with current digests share one snapshot; it stays the state it was taken of", () => {
    const cache = createSharedCache();
    const a = activeLedger({ shared: cache });
    const b = activeLedger({ shared: cache });
    for (const l of [a, b]) expectOk(l.volumeReport(report(1, { rw0: 10, rw1: 20 })));
    const digest = a.stateDigest();
    expect(b.stateDigest()).toBe(digest);
    const snapA = a.snapshot();
    const snapB = b.snapshot();
    expect(snapB).toBe(snapA);

    // b changes after the checkpoint: the shared snapshot and a are untouched.
    expectOk(b.transfer("user", "someone", 5n * STOS));
    expectOk(b.volumeReport(report(2, { rw2: 7 })));
    expect(restoredDigest(snapA)).toBe(digest);
    expect(a.stateDigest()).toBe(digest);

    // Restoring the shared snapshot into b and changing b leaves the snapshot as it was; b's next
    // snapshot (of a different state) is a copy of its own.
    b.restore(snapB);
    expect(b.stateDigest()).toBe(digest);
    expectOk(b.prepay("user", 3n * STOS));
    expect(restoredDigest(snapA)).toBe(digest);
    expect(b.stateDigest()).not.toBe(digest);
    const snapB2 = b.snapshot();
    expect(snapB2).not.toBe(snapA);
    expect(restoredDigest(snapB2)).toBe(b.stateDigest());

    // a, still at the old state, gets the old snapshot only if b's did not replace it; either way its
    // snapshot restores to its own state.
    expect(restoredDigest(a.snapshot())).toBe(digest);
  });

  it("a ledger whose digest is not current, or on another cache, gets its own copy", () => {
    const cache = createSharedCache();
    const a = activeLedger({ shared: cache });
    const b = activeLedger({ shared: cache });
    const c = activeLedger();
    a.stateDigest();
    const snapA = a.snapshot();
    expect(b.snapshot()).not.toBe(snapA); // b never computed its digest
    c.stateDigest();
    expect(c.snapshot()).not.toBe(snapA); // another cache (another book)
    expect(restoredDigest(b.snapshot())).toBe(a.stateDigest());
  });
});
