// Section `pbft`: the replica group (n, checkpoints, window, timers, batching, authentication
// cost preset, CPU model) and its clients with their workload. Defines the node count when
// `model: pbft`: replicas are nodes 0..n-1 and clients n..n+clients.count-1.
// May import: ../limits.js, ../schema.js, ../section.js, ./faults.js.

import { MAX_BYTES, MAX_CLIENTS, MAX_RATE, MAX_REPLICAS, MAX_TIME_S, MIN_INTERVAL_S } from "../limits.js";
import { bool, int, nullable, num, obj, oneOf, optional, str } from "../schema.js";
import { defineSection } from "../section.js";
import { faultsSchema, randomFaultsSchema } from "./faults.js";

const seconds = (description: string) => optional(num({ min: MIN_INTERVAL_S, max: MAX_TIME_S, description }));

const workload = oneOf(
  "model",
  {
    closed: obj(
      {
        thinkTime: num({ min: 0, max: MAX_TIME_S, default: 0, description: "Pause between a result and the next request (s)." }),
      },
      { description: "Closed loop: each client waits for its result before the next request." },
    ),
    poisson: obj(
      { rate: num({ exclusiveMin: 0, max: MAX_RATE, description: "Requests per second per client." }) },
      { description: "Open loop: requests at Poisson times; the client queues while one is outstanding." },
    ),
  },
  { default: { model: "closed", thinkTime: 0 }, description: "How clients generate requests.", tagDescription: "Workload model." },
);

const clients = obj(
  {
    count: int({ min: 1, max: MAX_CLIENTS, default: 1, description: "Number of clients (network nodes n..n+count-1)." }),
    requests: int({ min: 0, max: 1_000_000_000, default: 10, description: "Requests each client submits." }),
    start: num({ min: 0, max: MAX_TIME_S, default: 0, description: "When clients start (s)." }),
    opSize: int({ min: 1, max: MAX_BYTES, default: 64, description: "Simulated operation size in bytes." }),
    keys: int({ min: 1, max: 1_000_000_000, default: 16, description: "Keys of the key-value application the clients write." }),
    workload,
  },
  { default: {}, description: "Clients of the replicated service." },
);

export const pbft = defineSection({
  schema: nullable(
    obj(
      {
        n: int({ min: 1, max: MAX_REPLICAS, description: "Number of replicas (f = floor((n-1)/3), quorum ceil((n+f+1)/2))." }),
        checkpointInterval: int({ min: 1, max: 1_000_000, default: 10, description: "Checkpoint every K sequence numbers." }),
        logWindow: optional(int({ min: 1, max: 10_000_000, description: "Log window L (H = h + L); default 2K." })),
        requestTimeout: num({ min: MIN_INTERVAL_S, max: MAX_TIME_S, default: 1, description: "Request timer T_req (s)." }),
        newViewTimeout: seconds("New-view timer base T (s), doubling per failed view change; default T_req."),
        viewChangeResendInterval: seconds("VIEW-CHANGE re-send interval (s); default T."),
        clientRetransmitTimeout: seconds("Client retransmission timeout (s); default T_req."),
        maxBatchSize: int({ min: 1, max: 1_000_000, default: 1, description: "Requests per PRE-PREPARE." }),
        maxInFlight: int({ min: 1, max: 1_000_000, default: 1, description: "Sequence numbers pre-prepared but not executed." }),
        batchTimeout: num({ min: 0, max: MAX_TIME_S, default: 0, description: "Wait this long for a fuller batch (s); 0 = none." }),
        auth: str({
          enum: ["MAC_NORMAL_SIG_VC", "SIG_ALL", "MAC_ALL_WITH_ACKS"],
          default: "MAC_NORMAL_SIG_VC",
          description: "Authentication scheme whose sizes and CPU costs are charged.",
        }),
        cpu: bool({ default: true, description: "Charge CPU time per message on a serial CPU per node." }),
        clients,
        faults: faultsSchema,
        randomFaults: nullable(randomFaultsSchema, { default: null }),
      },
      { description: "PBFT replica group, its clients and injected faults." },
    ),
    { default: null },
  ),
  requiredFor: ["pbft", "pot"],
  nodeCount: (v, model) => (v && model === "pbft" ? { count: v.n + v.clients.count, path: "n" } : undefined),
  check: (v, ctx, env) => {
    if (!v) return;
    // In `model: pot` the PBFT clients are the meta nodes, then the gateways.
    const e = env.model === "pot" ? (env.root.economics as { metaNodes: { count: number }; gateways: number } | null) : null;
    const clientCount = e ? e.metaNodes.count + e.gateways : v.clients.count;
    const clientSource = e ? "economics.metaNodes.count + economics.gateways" : "pbft.clients.count";
    v.faults.forEach((f, i) => {
      const ids = f.type === "twins" ? [...f.replicas, ...f.sides.flat()] : [f.replica];
      for (const id of ids) if (id >= v.n) ctx.error(["faults", i], `replica ${id} does not exist (pbft.n is ${v.n})`);
      const cs = f.type === "censor" ? f.clients : f.type === "twins" ? f.clientSides.flat() : [];
      for (const c of cs) if (c >= clientCount) ctx.error(["faults", i], `client ${c} does not exist (${clientSource} is ${clientCount})`);
      if ("until" in f && f.until !== undefined && f.until <= f.at) ctx.error(["faults", i, "until"], `must be > at (${f.at}), got ${f.until}`);
    });
    let twins = 0;
    v.faults.forEach((f, i) => {
      if (f.type === "twins" && ++twins > 1) ctx.error(["faults", i], "only one twins fault per scenario (list every Byzantine replica in its replicas)");
    });
    v.randomFaults?.replicas?.forEach((r, i) => {
      if (r >= v.n) ctx.error(["randomFaults", "replicas", i], `replica ${r} does not exist (pbft.n is ${v.n})`);
    });
    if (v.logWindow !== undefined && v.logWindow < v.checkpointInterval) {
      ctx.error("logWindow", `must be >= checkpointInterval (${v.checkpointInterval}), got ${v.logWindow}`);
    }
  },
});
