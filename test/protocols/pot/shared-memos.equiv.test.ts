// The shared cache's last-inputs memos (SupplyMemo in invariants.ts, PurchaseMemo in formulas.ts):
// ledgers that share a cache get exactly the supply checks and prepay purchases of a ledger that
// shares nothing, in lockstep, lagging and after they diverge (a memo filled by one ledger's values
// is never handed to another ledger with different ones).

import { describe, expect, it } from "vitest";
import {
  createSharedCache,
  type PotLedger,
  PurchaseMemo,
  purchaseAmount,
  STOS,
  SupplyMemo,
  supplyCheck,
} from "../../../src/protocols/pot/index.js";
import type { LedgerState } from "../../../src/protocols/pot/state.js";
import { activeLedger, expectOk, report } from "./helpers.js";

const supply = (l: PotLedger) => {
  const c = l.totalSupplyCheck();
  return { ok: c.ok, expected: c.expected, actual: c.actual, mintedWei: c.mintedWei, burnedWei: c.burnedWei, breakdown: c.breakdown };
};

describe("shared last-inputs memos", () => {
  it("supply checks and prepays equal an unshared ledger's, in lockstep and diverged", () => {
    const cache = createSharedCache();
    const a = activeLedger({ shared: cache });
    const b = activeLedger({ shared: cache });
    const solo = activeLedger();
    for (let e = 1; e <= 6; e++) {
      for (const l of [a, b, solo]) expectOk(l.volumeReport(report(e, { rw0: 10 * e, rw1: 7 })));
      const pa = expectOk(a.prepay("user", BigInt(e) * STOS));
      // b checks its supply before its prepay (the memo holds a's values), then prepays the same.
      expect(supply(b)).not.toEqual(supply(a));
      const pb = expectOk(b.prepay("user", BigInt(e) * STOS));
      const ps = expectOk(solo.prepay("user", BigInt(e) * STOS));
      expect(pa.purchasedNoz).toBe(ps.purchasedNoz);
      expect(pb.purchasedNoz).toBe(ps.purchasedNoz);
      expect(supply(a)).toEqual(supply(solo));
      expect(supply(b)).toEqual(supply(solo));
    }
    // b diverges: its checks and purchases follow its own state, a's follow a's.
    expectOk(b.prepay("user", 123n * STOS));
    expectOk(solo.prepay("user", 123n * STOS));
    expect(supply(a)).not.toEqual(supply(solo));
    expect(supply(b)).toEqual(supply(solo));
    const pa = expectOk(a.prepay("user", 5n * STOS));
    const pb = expectOk(b.prepay("user", 5n * STOS));
    const fresh = activeLedger();
    expect(pb.purchasedNoz).toBe(expectOk(solo.prepay("user", 5n * STOS)).purchasedNoz);
    expect(pa.purchasedNoz).not.toBe(pb.purchasedNoz);
    expect(fresh.totalSupplyCheck().ok).toBe(true);
  });

  it("PurchaseMemo answers purchaseAmount for every call, whatever came before", () => {
    const m = new PurchaseMemo();
    const calls: [bigint, bigint, bigint, bigint][] = [
      [10n ** 24n, 10n ** 21n, 10n ** 18n, 5n * 10n ** 17n],
      [10n ** 24n, 10n ** 21n, 10n ** 18n, 5n * 10n ** 17n],
      [10n ** 24n, 10n ** 21n + 1n, 10n ** 18n, 5n * 10n ** 17n],
      [10n ** 24n, 10n ** 21n, 10n ** 18n, 5n * 10n ** 17n],
      [7n, 0n, 3n, 1n],
    ];
    for (const [S, P, L, X] of calls) expect(m.of(S, P, L, X)).toEqual(purchaseAmount(S, P, L, X));
  });

  it("SupplyMemo notices a change in any one of its thirteen inputs", () => {
    const l = activeLedger();
    expectOk(l.volumeReport(report(1, { rw0: 10 })));
    const st = (l.snapshot() as unknown as { state: LedgerState }).state;
    const poolKeys = Object.keys(st.pools) as (keyof LedgerState["pools"])[];
    const variants: LedgerState[] = [
      st,
      ...poolKeys.map((k) => ({ ...st, pools: { ...st.pools, [k]: st.pools[k] + 1n } })),
      { ...st, balanceTotal: st.balanceTotal + 1n },
      { ...st, genesisSupply: st.genesisSupply + 1n },
      { ...st, mintedWei: st.mintedWei + 1n },
      { ...st, burnedWei: st.burnedWei + 1n },
    ];
    expect(variants.length).toBe(14);
    const memo = new SupplyMemo();
    const plain = (x: LedgerState) => {
      const c = supplyCheck(x);
      return [c.ok, c.expected, c.actual];
    };
    // Each variant right after the unchanged state (the memo holds st's values), and after itself.
    for (const v of variants) {
      supplyCheck(st, memo);
      const c = supplyCheck(v, memo);
      expect([c.ok, c.expected, c.actual]).toEqual(plain(v));
      const again = supplyCheck(v, memo);
      expect([again.ok, again.expected, again.actual]).toEqual(plain(v));
    }
  });
});
