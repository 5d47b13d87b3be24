// Section `attacks`: economic faults of `model: pot` — meta-node coalitions that inflate volume
// reports, Sybil resource nodes that buy ozone and download their own files, and resource nodes
// forced offline (then suspended by the meta nodes). Consensus faults come from `pbft.faults`.
// May import: ../limits.js, ../schema.js, ../section.js.

import { MAX_CLIENTS, MAX_EPOCHS, MAX_LIST, MAX_POPULATION, MAX_STOS, MAX_TIME_S, MIN_INTERVAL_S, MIN_STOS } from "../limits.js";
import { arr, bool, int, nullable, num, obj, optional, refine, str } from "../schema.js";
import { defineSection } from "../section.js";

const epoch = (description: string, dflt?: number) =>
  int({ min: 1, max: MAX_EPOCHS, description, ...(dflt === undefined ? {} : { default: dflt }) });
const stos = (description: string, dflt?: number) =>
  num({ min: MIN_STOS, max: MAX_STOS, description, ...(dflt === undefined ? {} : { default: dflt }) });

const coalition = refine(
  obj(
    {
      members: arr(int({ min: 0, max: MAX_CLIENTS - 1 }), {
        minItems: 1,
        unique: true,
        description: "Meta-node indices (0-based; meta node i is PBFT client i) that collude.",
      }),
      factor: num({ min: 1, max: 1e6, default: 2, description: "Reported volume = true volume × factor." }),
      mode: str({
        enum: ["scale", "self"],
        default: "scale",
        description: "scale: every wallet's volume × factor; self: the extra (factor − 1)·Y goes to a coalition wallet.",
      }),
      padSigners: bool({
        default: false,
        description: "Repeat the members' keys to reach the quorum count (the chain does not check key distinctness).",
      }),
      fromEpoch: epoch("First epoch the coalition inflates.", 1),
      toEpoch: optional(epoch("Last epoch it inflates (absent: to the end).")),
    },
    { description: "Members inflate the reports of the epochs they are the rotating reporter of, signing them themselves." },
  ),
  (v, ctx) => {
    if (v.toEpoch !== undefined && v.toEpoch < v.fromEpoch) ctx.error("toEpoch", `must be >= fromEpoch (${v.fromEpoch}), got ${v.toEpoch}`);
  },
);

const sybil = refine(
  obj(
    {
      wallets: int({ min: 1, max: MAX_POPULATION, default: 1, description: "Sybil resource nodes (one wallet each), registered at genesis." }),
      files: int({ min: 1, max: MAX_POPULATION, default: 1, description: "Own files, spread round-robin over the Sybil nodes; volume follows files." }),
      budgetStos: stos("STOS prepaid per epoch to buy ozone for self-downloads."),
      depositStos: stos("Deposit (and effective deposit) of each Sybil node (STOS).", 1),
      fromEpoch: epoch("First epoch it buys ozone.", 1),
      toEpoch: optional(epoch("Last epoch it buys ozone (absent: to the end).")),
    },
    { description: "An attacker that buys ozone and downloads its own files to earn traffic and mining rewards." },
  ),
  (v, ctx) => {
    if (v.toEpoch !== undefined && v.toEpoch < v.fromEpoch) ctx.error("toEpoch", `must be >= fromEpoch (${v.fromEpoch}), got ${v.toEpoch}`);
  },
);

const offline = refine(
  obj(
    {
      count: optional(int({ min: 1, max: MAX_POPULATION, description: "How many honest resource nodes (drawn per seed) go offline." })),
      nodes: optional(
        arr(int({ min: 0, max: MAX_POPULATION - 1 }), { minItems: 1, unique: true, description: "Explicit resource-node indices instead of count." }),
      ),
      at: num({ min: 0, max: MAX_TIME_S, description: "When they go offline (s)." }),
      duration: num({ min: MIN_INTERVAL_S, max: MAX_TIME_S, description: "How long they stay offline (s)." }),
    },
    { description: "Resource nodes that go offline; the meta nodes suspend them after graceEpochs and restore them when back." },
  ),
  (v, ctx) => {
    if ((v.count === undefined) === (v.nodes === undefined)) ctx.error('give exactly one of "count" and "nodes"');
  },
);

interface EconomicsLike {
  metaNodes: { count: number };
  resourceNodes: { count: number };
}

export const attacks = defineSection({
  schema: nullable(
    obj(
      {
        coalitions: arr(coalition, { default: [], maxItems: MAX_LIST, description: "Inflating meta-node coalitions." }),
        sybils: arr(sybil, { default: [], maxItems: MAX_LIST, description: "Sybil self-dealing groups." }),
        offline: arr(offline, { default: [], maxItems: MAX_LIST, description: "Resource-node outages." }),
      },
      { description: "Economic faults of `model: pot`." },
    ),
    { default: null },
  ),
  // Indices must name existing meta nodes and resource nodes (economics section).
  check: (a, ctx, env) => {
    const e = env.root.economics as EconomicsLike | null;
    if (!a || !e || env.model !== "pot") return;
    a.coalitions.forEach((c, i) => {
      c.members.forEach((m, k) => {
        if (m >= e.metaNodes.count) {
          ctx.error(["coalitions", i, "members", k], `meta node ${m} does not exist (economics.metaNodes.count is ${e.metaNodes.count})`);
        }
      });
    });
    a.offline.forEach((o, i) => {
      o.nodes?.forEach((j, k) => {
        if (j >= e.resourceNodes.count) {
          ctx.error(["offline", i, "nodes", k], `resource node ${j} does not exist (economics.resourceNodes.count is ${e.resourceNodes.count})`);
        }
      });
    });
  },
});
