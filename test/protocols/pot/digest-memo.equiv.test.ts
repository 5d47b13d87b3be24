// The state digest's per-book memo (lines per wallet, last digest) against ledgers that never share it:
// replicas on one book, lagging and diverging, always get the digest a private book gives.

import { describe, expect, it } from "vitest";
import { createSharedCache, STOS } from "../../../src/protocols/pot/index.js";
import { activeLedger, expectOk, Lcg, report } from "./helpers.js";

describe("state digest memo", () => {
  it("equals the digest of an unshared ledger through reports, prepays and divergence", () => {
    const cache = createSharedCache();
    const a = activeLedger({ shared: cache });
    const b = activeLedger({ shared: cache });
    const solo = activeLedger();
    const rnd = new Lcg(3);
    for (let e = 1; e <= 12; e++) {
      const vols: Record<string, number> = {};
      for (let w = 0; w < 6; w++) if (rnd.int(3) > 0) vols[`rw${w}`] = 1 + rnd.int(1_000_000);
      if (Object.keys(vols).length === 0) vols.rw0 = 1;
      const op = report(e, vols);
      for (const l of [a, b, solo]) expectOk(l.volumeReport(op));
      if (e % 3 === 0) for (const l of [a, b, solo]) expectOk(l.prepay("user", BigInt(e) * STOS));
      // b digests every other epoch only (lagging memo), a every epoch.
      expect(a.stateDigest()).toBe(solo.stateDigest());
      if (e % 2 === 0) expect(b.stateDigest()).toBe(solo.stateDigest());
    }
    // One replica diverges: its digest differs, the others' still agree with the reference.
    expectOk(b.transfer("user", "newcomer", 5n));
    expect(b.stateDigest()).not.toBe(a.stateDigest());
    expect(a.stateDigest()).toBe(solo.stateDigest());
    expectOk(solo.transfer("user", "newcomer", 5n));
    expect(b.stateDigest()).toBe(solo.stateDigest());
  });
});
