// Section `economics`: the Proof-of-Traffic world run by `model: pot` — genesis preset and
// parameter overrides, epoch cadence, meta nodes, resource nodes (deposit, suspension policy),
// users' prepay policy and the PBFT gateway clients that carry users' transactions.
// The PBFT replica group (validators) comes from the `pbft` section; its `clients` sub-section
// is not used by this model (PBFT clients are the meta nodes, then the gateways).
// Validation also checks that the genesis can be funded from the initial supply and that users
// can afford a prepay (./funding.ts), so neither surfaces as an error in the middle of a run.
// May import: ../context.js, ../limits.js, ../schema.js, ../section.js, ./funding.js.

import { MAX_BYTES, MAX_CLIENTS, MAX_EPOCHS, MAX_POPULATION, MAX_STOS, MAX_TIME_S, MIN_INTERVAL_S, MIN_STOS } from "../limits.js";
import { bool, int, nullable, num, obj, optional, str } from "../schema.js";
import type { RefineCtx } from "../context.js";
import { defineSection, type SectionEnv } from "../section.js";
import { activeEpochs, epochCount, formatStos, genesisFunding, microStos } from "./funding.js";

const stos = (description: string, dflt: number) => num({ min: MIN_STOS, max: MAX_STOS, default: dflt, description });

export const economics = defineSection({
  schema: nullable(
    obj(
      {
        genesis: str({
          enum: ["mainnet", "default"],
          default: "mainnet",
          description:
            "Parameter preset: mainnet (stratos-1: 1M STOS pre-mined, community tax 0.01) or the code defaults (nothing mined, tax 0.02).",
        }),
        epochLength: num({ min: MIN_INTERVAL_S, max: MAX_TIME_S, default: 600, description: "Simulated seconds per epoch (one volume report per epoch)." }),
        epochs: optional(
          int({ min: 0, max: MAX_EPOCHS, description: "Epochs to run (reports for epochs 1..epochs); default floor(until / epochLength)." }),
        ),
        communityTax: optional(num({ min: 0, max: 1, description: "Override of the community tax τ (fraction)." })),
        matureEpoch: optional(int({ min: 1, max: MAX_EPOCHS, description: "Override of the maturity delay in epochs (2016 by default)." })),
        strictSigners: bool({
          default: false,
          description: "Count only distinct bonded meta-node keys toward the report quorum (the chain counts keys).",
        }),
        metaNodes: obj(
          {
            count: int({ min: 1, max: MAX_CLIENTS, default: 7, description: "Meta nodes (PBFT clients 0..count-1), each a report co-signer." }),
            depositStos: stos("Deposit of each meta node (STOS).", 9900),
            settleFraction: num({
              exclusiveMin: 0,
              max: 1,
              default: 1,
              description:
                "Share of each epoch's traffic settled: only the wallets that together served the largest settleFraction of it are reported, the rest carries over to the next epoch (the whitepaper's top-80% rule is 0.8; 1 reports everything).",
            }),
          },
          { default: {}, description: "Meta nodes registered at genesis." },
        ),
        resourceNodes: obj(
          {
            count: int({ min: 1, max: MAX_POPULATION, default: 100, description: "Honest resource nodes registered at genesis (catalog nodes 0..count-1)." }),
            depositStos: stos("Deposit of each resource node (STOS); the meta nodes set the effective deposit to it.", 1000),
            graceEpochs: int({
              min: 1,
              max: MAX_EPOCHS,
              default: 3,
              description: "Consecutive offline epochs after which the meta nodes suspend a node (slashResourceNode).",
            }),
            slashNoz: num({ min: 0, max: MAX_BYTES, default: 0, description: "Noz slashed (as debt priced by the traffic formula) on suspension." }),
            capacity: optional(
              num({ exclusiveMin: 0, max: MAX_BYTES, description: "Bytes per second a node can serve (uploads and downloads); absent = unlimited." }),
            ),
          },
          { default: {}, description: "Resource nodes." },
        ),
        users: obj(
          {
            initialStos: stos("STOS each user holds at genesis.", 1000),
            prepayStos: stos("STOS per prepay transaction.", 10),
            refillEpochs: num({
              exclusiveMin: 0,
              max: MAX_EPOCHS,
              default: 6,
              description: "A user prepays when its ozone would last fewer than this many epochs at its mean demand.",
            }),
          },
          { default: {}, description: "Users' prepay policy (their demand is the `traffic` section)." },
        ),
        gateways: int({ min: 1, max: MAX_CLIENTS, default: 2, description: "PBFT clients carrying users' and Sybils' prepays (after the meta nodes)." }),
        reportEntryBytes: int({ min: 1, max: 1_000_000, default: 48, description: "Simulated bytes per wallet entry of a volume report." }),
        txBytes: int({ min: 1, max: 1_000_000_000, default: 256, description: "Simulated bytes of other transactions (prepay, slash, deposit)." }),
      },
      { description: "Proof-of-Traffic economics of `model: pot`." },
    ),
    { default: null },
  ),
  requiredFor: ["pot"],
  nodeCount: (e, model, root) => {
    const p = root.pbft as { n: number } | null;
    if (!e || !p || model !== "pot") return undefined;
    return {
      count: p.n + e.metaNodes.count + e.gateways,
      path: "metaNodes.count",
      source: "pbft.n + economics.metaNodes.count + economics.gateways",
    };
  },
  check: (e, ctx, env) => {
    if (e && env.model === "pot") checkFunding(e, ctx, env);
  },
});

type Economics = NonNullable<typeof economics.schema._type>;

interface TrafficLike {
  users: { count: number }[];
}
interface AttacksLike {
  sybils: { wallets: number; depositStos: number; budgetStos: number; fromEpoch: number; toEpoch?: number }[];
}

/** Users' prepays must be affordable, and the genesis allocations must fit the initial supply. */
function checkFunding(e: Economics, ctx: RefineCtx, env: SectionEnv): void {
  const traffic = env.root.traffic as TrafficLike | null;
  const attacks = env.root.attacks as AttacksLike | null;
  const users = traffic ? traffic.users.reduce((s, g) => s + g.count, 0) : 0;
  if (users > 0 && microStos(e.users.prepayStos) > microStos(e.users.initialStos)) {
    ctx.error(
      ["users", "prepayStos"],
      `must be <= economics.users.initialStos (${e.users.initialStos}), got ${e.users.prepayStos}: a user holds only its initial STOS (nothing else funds users), so no user could ever prepay`,
    );
  }
  const until = env.root.until as number;
  const last = epochCount(e.epochs, e.epochLength, until);
  const f = genesisFunding({
    genesis: e.genesis,
    metaNodes: e.metaNodes,
    resourceNodes: e.resourceNodes,
    users: { count: users, initialStos: e.users.initialStos },
    sybils: (attacks?.sybils ?? []).map((s) => ({ ...s, activeEpochs: activeEpochs(s.fromEpoch, s.toEpoch, last) })),
  });
  if (f.totalMicro <= f.supplyMicro) return;
  const parts = f.lines.filter((l) => l.micro > 0n).map((l) => `${l.what} ${formatStos(l.micro)} (${l.key})`);
  const largest = f.lines.slice(1).reduce((a, b) => (b.micro > a.micro ? b : a));
  const message =
    `genesis allocations of ${formatStos(f.totalMicro)} STOS exceed the initial supply of ${formatStos(f.supplyMicro)} STOS: ` +
    `${parts.join(", ")}; lower the largest`;
  env.rootCtx.error(largest.key, message);
}
