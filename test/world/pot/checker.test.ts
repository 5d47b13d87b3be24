// The economic checker catches broken ledgers: one that mints 1 wei on every report (supply), one
// that pays out of the prepay pool without telling (the §4 identities), and a refused operation that
// changes state; and it stays silent on the honest ledger.

import { describe, expect, it } from "vitest";
import { EconomicsChecker } from "../../../src/check/index.js";
import type { Violation } from "../../../src/check/violation.js";
import { type GenesisConfig, type LedgerOptions, type OpResult, PotApplication, type PotExecContext } from "../../../src/protocols/pot/index.js";
import type { PotChainApp } from "../../../src/world/pot/app.js";
import { potWorld, type Summary } from "./support.js";

/** Mints 1 wei into the community pool with every volume report. */
class MintingApp extends PotApplication {
  override run(op: unknown, ctx: PotExecContext): OpResult {
    if ((op as { type?: string }).type === "volumeReport") {
      const snap = this.ledger.snapshot() as unknown as { state: { pools: { communityPool: bigint } } };
      snap.state.pools.communityPool += 1n;
      this.ledger.restore(snap as never);
    }
    return super.run(op, ctx);
  }
}

/** Moves 1 wei from the prepay pool to the community pool after every report (supply intact, ΔP wrong). */
class LeakyApp extends PotApplication {
  override run(op: unknown, ctx: PotExecContext): OpResult {
    const r = super.run(op, ctx);
    if (r.ok && r.type === "volumeReport") {
      const snap = this.ledger.snapshot() as unknown as { state: { pools: { communityPool: bigint; prepay: bigint } } };
      snap.state.pools.prepay -= 1n;
      snap.state.pools.communityPool += 1n;
      this.ledger.restore(snap as never);
    }
    return r;
  }
}

const make =
  (C: typeof PotApplication) =>
  (g: GenesisConfig, o: LedgerOptions): PotApplication =>
    new C(g, o);

describe("economic checker", () => {
  it("stays silent on the honest ledger", () => {
    const { out } = potWorld();
    expect(out.violations).toEqual([]);
    expect((out.summary as Summary).economicChecks).toBeGreaterThan(0);
  });

  it("catches a ledger that mints 1 wei on a report (ECON-SUPPLY at every correct replica)", () => {
    const { out } = potWorld({}, { makePotApp: make(MintingApp) });
    const supply = out.violations.filter((v) => v.invariant === "ECON-SUPPLY");
    expect(supply.map((v) => v.replicas![0]).sort()).toEqual([0, 1, 2, 3]);
    for (const v of supply) {
      expect(v.detail).toContain("off by 1 wei");
      expect(v.detail).toMatch(/foundation=\d+ .*balances=\d+/); // the failing check's breakdown
      expect(v.seq).toBeGreaterThan(0);
      expect(v.time).toBeGreaterThanOrEqual(60);
      expect(v.time).toBeLessThan(62);
    }
    expect((out.summary as Summary).supplyOk).toBe(false);
  });

  it("catches a report that takes more from P than it pays (ECON-REPORT)", () => {
    const { out } = potWorld({}, { makePotApp: make(LeakyApp) });
    const kinds = new Set(out.violations.map((v) => v.invariant));
    expect(kinds.has("ECON-SUPPLY")).toBe(false);
    expect(kinds.has("ECON-REPORT")).toBe(true);
    expect(out.violations.find((v) => v.invariant === "ECON-REPORT")!.detail).toMatch(/ΔP -\d+ ≠ −traffic/);
  });

  it("flags a refused operation that changed the state (ECON-REFUSED)", () => {
    const violations: Violation[] = [];
    const checker = new EconomicsChecker(() => true, violations);
    const { world } = potWorld();
    const l = (world.pbft.hosts.replicas[0]!.replica.application as PotChainApp).ledger;
    checker.beforeExecute(0, l, false);
    const res = l.prepay("u0", 1n); // a real change…
    expect(res.ok).toBe(true);
    checker.afterExecute(0, l, { ok: false, reason: "made_up" }, 1, 1); // …reported as refused
    expect(violations.map((v) => v.invariant)).toEqual(["ECON-REFUSED"]);
    checker.beforeExecute(1, l, false);
    checker.afterExecute(1, l, { ok: false, reason: "insufficient_funds" }, 1, 2);
    expect(violations).toHaveLength(1);
  });
});
