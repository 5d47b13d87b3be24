// Section `economics`: the Proof-of-Traffic world run by `model: pot` — genesis preset and
// parameter overrides, epoch cadence, meta nodes, resource nodes (deposit, suspension policy),
// users' prepay policy and the PBFT gateway clients that carry users' transactions.
// The PBFT replica group (validators) comes from the `pbft` section; its `clients` sub-section
// is not used by this model (PBFT clients are the meta nodes, then the gateways).
// May import: ../schema.js, ../section.js.

import { bool, int, nullable, num, obj, optional, str } from "../schema.js";
import { defineSection } from "../section.js";

const stos = (description: string, dflt: number) => num({ exclusiveMin: 0, default: dflt, description });

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
        epochLength: num({ exclusiveMin: 0, default: 600, description: "Simulated seconds per epoch (one volume report per epoch)." }),
        epochs: optional(
          int({ min: 0, description: "Epochs to run (reports for epochs 1..epochs); default floor(until / epochLength)." }),
        ),
        communityTax: optional(num({ min: 0, max: 1, description: "Override of the community tax τ (fraction)." })),
        matureEpoch: optional(int({ min: 1, description: "Override of the maturity delay in epochs (2016 by default)." })),
        strictSigners: bool({
          default: false,
          description: "Count only distinct bonded meta-node keys toward the report quorum (the chain counts keys).",
        }),
        metaNodes: obj(
          {
            count: int({ min: 1, default: 7, description: "Meta nodes (PBFT clients 0..count-1), each a report co-signer." }),
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
            count: int({ min: 1, default: 100, description: "Honest resource nodes registered at genesis (catalog nodes 0..count-1)." }),
            depositStos: stos("Deposit of each resource node (STOS); the meta nodes set the effective deposit to it.", 1000),
            graceEpochs: int({
              min: 1,
              default: 3,
              description: "Consecutive offline epochs after which the meta nodes suspend a node (slashResourceNode).",
            }),
            slashNoz: num({ min: 0, default: 0, description: "Noz slashed (as debt priced by the traffic formula) on suspension." }),
            capacity: optional(
              num({ exclusiveMin: 0, description: "Bytes per second a node can serve (uploads and downloads); absent = unlimited." }),
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
              default: 6,
              description: "A user prepays when its ozone would last fewer than this many epochs at its mean demand.",
            }),
          },
          { default: {}, description: "Users' prepay policy (their demand is the `traffic` section)." },
        ),
        gateways: int({ min: 1, default: 2, description: "PBFT clients carrying users' and Sybils' prepays (after the meta nodes)." }),
        reportEntryBytes: int({ min: 1, default: 48, description: "Simulated bytes per wallet entry of a volume report." }),
        txBytes: int({ min: 1, default: 256, description: "Simulated bytes of other transactions (prepay, slash, deposit)." }),
      },
      { description: "Proof-of-Traffic economics of `model: pot`." },
    ),
    { default: null },
  ),
  requiredFor: ["pot"],
});
