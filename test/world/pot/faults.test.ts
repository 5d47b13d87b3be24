// Economic faults in the PoT world: inflating meta-node coalitions below and at the quorum (and with
// repeated keys), Sybil self-dealing, resource nodes going offline (suspended, then restored), and
// reports delayed by consensus faults. Under every one of them the economic checker (run after each
// execution at each correct replica) finds supply conserved.

import { describe, expect, it } from "vitest";
import { STOS } from "../../../src/protocols/pot/index.js";
import type { PotChainApp } from "../../../src/world/pot/app.js";
import { potScenario, potWorld, runPot, type Summary, table } from "./support.js";
import { PotWorld } from "../../../src/world/pot/world.js";

/** Users who hold plenty of ozone (so inflated volumes fit under the ozone-supply guard). */
const RICH = { economics: { users: { initialStos: 10, prepayStos: 1 } } };

function healthy(s: Summary, violations: unknown[]): void {
  expect(violations).toEqual([]);
  expect(s.supplyOk).toBe(true);
  expect(s.ledgerDigestsAgree).toBe(true);
  expect(s.consensus.allCommitted).toBe(true);
}

describe("inflating meta-node coalitions", () => {
  it("below the quorum (3 of 7 < 4 signatures): inflated reports are rejected, honest ones re-submitted", () => {
    const r = runPot({ attacks: { coalitions: [{ members: [0, 1, 2], factor: 3 }] } });
    const s = r.summary as Summary;
    healthy(s, r.violations);
    // epochs 1-3, 8-10 have a coalition member as rotating reporter (12 epochs, 7 meta nodes)
    expect(s.reports.inflated.coalition0).toEqual({ submitted: 6, accepted: 0, rejected: 6, drainedStos: 0 });
    expect(s.reports.rejectedByReason).toEqual({ bls_quorum_not_reached: 6 });
    expect(s.reports.accepted).toBe(12);
    const rows = table(r, "epochs");
    const rejected = rows.filter((e) => e.accepted === false);
    expect(rejected.map((e) => e.epoch)).toEqual([1, 2, 3, 8, 9, 10]);
    expect(rejected.every((e) => e.report_kind === "inflated" && e.result === "err:bls_quorum_not_reached" && e.signers === 3)).toBe(true);
    // each rejected attempt is followed by the honest report of the same epoch, from a meta node outside the coalition
    for (const e of rejected) {
      const honest = rows.find((x) => x.epoch === e.epoch && x.accepted === true)!;
      expect(honest.report_kind).toBe("honest");
      expect([3, 4, 5, 6]).toContain(honest.reporter);
      expect(e.volume_noz).toBe(3n * (honest.volume_noz as bigint));
    }
    const attackers = table(r, "attackers");
    expect(attackers[0]).toMatchObject({ group: "coalition0", cost_wei: 0n, rewards_wei: 0n });
  });

  it("at the quorum (4 of 7): inflated reports are accepted and drain more of P", () => {
    const honest = runPot(RICH);
    const r = runPot({ ...RICH, attacks: { coalitions: [{ members: [0, 1, 2, 3], factor: 2 }] } });
    const s = r.summary as Summary;
    const h = honest.summary as Summary;
    healthy(s, r.violations);
    expect(s.reports.inflated.coalition0.accepted).toBeGreaterThan(0);
    expect(s.reports.inflated.coalition0.rejected).toBe(0);
    expect(s.reports.rejected).toBe(0);
    // same demand and prepays (separate random streams), more traffic paid out of the prepay pool
    expect(s.users.servedNoz).toBe(h.users.servedNoz);
    expect(s.issuance.trafficPaidStos).toBeGreaterThan(h.issuance.trafficPaidStos * 1.2);
    expect(BigInt(s.market.P_wei) < BigInt(h.market.P_wei)).toBe(true);
    expect(s.reports.inflated.coalition0.drainedStos).toBeGreaterThan(0);
    const attackers = table(r, "attackers");
    expect((attackers[0]!.rewards_wei as bigint) > 0n).toBe(true);
  });

  it("'self' mode pays the inflation to a coalition wallet", () => {
    const r = runPot({ ...RICH, attacks: { coalitions: [{ members: [0, 1, 2, 3], factor: 2, mode: "self" }] } });
    healthy(r.summary as Summary, r.violations);
    const coal = table(r, "resource_rewards").find((w) => w.wallet === "coal0")!;
    expect(coal.kind).toBe("coalition");
    expect((coal.total_wei as bigint) > 0n).toBe(true);
  });

  it("a coalition of 2 reaches the quorum by repeating its keys, unless signers must be distinct", () => {
    const attack = { attacks: { coalitions: [{ members: [0, 1], factor: 2, padSigners: true }] } };
    const lax = runPot({ ...RICH, ...attack });
    healthy(lax.summary as Summary, lax.violations);
    expect((lax.summary as Summary).reports.inflated.coalition0.accepted).toBe(4);
    const strict = runPot({ ...RICH, ...attack, economics: { ...RICH.economics, strictSigners: true } });
    healthy(strict.summary as Summary, strict.violations);
    expect((strict.summary as Summary).reports.inflated.coalition0).toMatchObject({ accepted: 0, rejected: 4 });
  });

  it("the ozone-supply guard rejects inflation beyond the ozone sold", () => {
    const r = runPot({ attacks: { coalitions: [{ members: [0, 1, 2, 3], factor: 1e6 }] } });
    const s = r.summary as Summary;
    healthy(s, r.violations);
    expect(s.reports.rejectedByReason.noz_supply_exceeded).toBeGreaterThan(0);
    expect(s.reports.accepted).toBe(12);
  });
});

describe("Sybil self-dealing", () => {
  it("records the Sybil's cost and rewards; its wallets earn from its own downloads", () => {
    const r = runPot({ attacks: { sybils: [{ wallets: 3, files: 6, budgetStos: 0.001, fromEpoch: 2, toEpoch: 10 }] } });
    const s = r.summary as Summary;
    healthy(s, r.violations);
    const syb = table(r, "attackers").find((a) => a.group === "sybil0")!;
    expect(syb.cost_wei).toBe(9n * 10n ** 15n); // 9 epochs × 0.001 STOS
    expect((syb.rewards_wei as bigint) > 0n).toBe(true);
    expect(syb.profit_wei).toBe((syb.rewards_wei as bigint) - (syb.cost_wei as bigint));
    expect(typeof syb.return_on_cost).toBe("number");
    const wallets = table(r, "resource_rewards").filter((w) => w.kind === "sybil");
    expect(wallets.map((w) => w.wallet)).toEqual(["sy0w0", "sy0w1", "sy0w2"]);
    expect(wallets.every((w) => (w.total_wei as bigint) > 0n)).toBe(true);
    const sybilRewardsSum = wallets.reduce((a, w) => a + (w.total_wei as bigint), 0n);
    expect(sybilRewardsSum).toBe(syb.rewards_wei);
  });
});

describe("resource nodes going offline", () => {
  it("are suspended after graceEpochs and restored when back; S falls and recovers", () => {
    const s = potScenario({ attacks: { offline: [{ nodes: [3, 4], at: 70, duration: 300 }] } });
    const world = new PotWorld(s, 7);
    const app = () => world.pbft.hosts.replicas[0]!.replica.application as PotChainApp;
    world.sim.run({ until: 330 });
    expect(app().ledger.resourceNode("rn3")!.suspended).toBe(true);
    expect(app().ledger.resourceNode("rn4")!.effectiveTokens).toBe(0n);
    expect(app().ledger.resourceNode("rn5")!.suspended).toBe(false);
    world.sim.run({ until: s.until });
    expect(app().ledger.resourceNode("rn3")!.suspended).toBe(false);
    expect(app().ledger.resourceNode("rn3")!.effectiveTokens).toBe(100n * STOS);
    const out = world.finish();
    const sum = out.summary as Summary;
    healthy(sum, out.violations);
    expect(sum.resourceNodes).toMatchObject({ suspensions: 2, restorations: 2, suspendedAtEnd: 0 });
    const S = table(out, "epochs").map((e) => e.S_wei as bigint);
    const full = S[0]!;
    expect(S.some((x) => x === full - 200n * STOS)).toBe(true);
    expect(S[S.length - 1]).toBe(full);
    expect(table(out, "attackers").find((a) => a.group === "offline0")).toBeDefined();
  });

  it("slashing on suspension records a debt repaid from maturing rewards", () => {
    const { world, out } = potWorld({
      economics: { resourceNodes: { slashNoz: 1_000_000_000 } },
      attacks: { offline: [{ nodes: [3], at: 70, duration: 200 }] },
    });
    healthy(out.summary as Summary, out.violations);
    expect((out.summary as Summary).resourceNodes.slashedStos).toBeGreaterThan(0);
    const l = (world.pbft.hosts.replicas[0]!.replica.application as PotChainApp).ledger;
    expect(l.pools().communityPool > 0n).toBe(true);
  });

  it("with churn: nodes come and go, every suspension pairs with the node being offline", () => {
    const r = runPot({ until: 1810, economics: { epochs: 30 }, traffic: { churn: { meanUp: 400, meanDown: 200 } } });
    const s = r.summary as Summary;
    healthy(s, r.violations);
    expect(s.resourceNodes.suspensions).toBeGreaterThan(0);
    expect(s.resourceNodes.restorations).toBeGreaterThan(0);
    expect(s.users.unservedRequests).toBeGreaterThanOrEqual(0);
  });
});

describe("reports delayed by consensus faults", () => {
  it("a crashed primary delays reports; they all land later, in order", () => {
    const base = runPot();
    const r = runPot({ pbft: { faults: [{ type: "crash", replica: 0, at: 200 }] } });
    const s = r.summary as Summary;
    healthy(s, r.violations);
    expect(s.consensus.viewChanges).toBeGreaterThanOrEqual(1);
    expect(s.reports.accepted).toBe(12);
    const delays = table(r, "epochs").map((e) => e.delay_s as number);
    const baseDelays = table(base, "epochs").map((e) => e.delay_s as number);
    expect(Math.max(...delays)).toBeGreaterThan(Math.max(...baseDelays) + 0.5);
    const epochs = table(r, "epochs").map((e) => e.epoch as number);
    expect(epochs).toEqual([...epochs].sort((a, b) => a - b));
  });
});

describe("replica crash and recovery", () => {
  it("a backup that crashes and recovers catches up; correct ledgers agree", () => {
    const r = runPot({
      pbft: {
        faults: [
          { type: "crash", replica: 2, at: 150 },
          { type: "recover", replica: 2, at: 400 },
        ],
      },
    });
    const s = r.summary as Summary;
    healthy(s, r.violations);
    expect(s.reports.accepted).toBe(12);
    expect(s.correctReplicasInSync).toBe(true);
    expect(new Set(table(r, "replicas").map((x) => x.state_digest)).size).toBe(1);
  });
});

describe("every economic fault at once", () => {
  it("conserves supply at every step at every correct replica", () => {
    const r = runPot({
      ...RICH,
      pbft: { n: 7, faults: [{ type: "silent", replica: 1, at: 0 }] },
      attacks: {
        coalitions: [
          { members: [0, 1, 2], factor: 2 },
          { members: [3, 4, 5, 6], factor: 1.5, fromEpoch: 9 },
        ],
        sybils: [{ wallets: 2, budgetStos: 0.01 }],
        offline: [{ count: 4, at: 100, duration: 250 }],
      },
      traffic: { churn: { meanUp: 600, meanDown: 120 } },
    });
    const s = r.summary as Summary;
    healthy(s, r.violations);
    expect(s.economicChecks).toBeGreaterThan(100);
    expect(s.reports.inflated.coalition0.rejected).toBeGreaterThan(0);
    expect(s.reports.inflated.coalition1.accepted).toBeGreaterThan(0);
  });
});
