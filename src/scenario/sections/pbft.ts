// Section `pbft`: the replica group (n, checkpoints, window, timers, batching, authentication
// cost preset, CPU model) and its clients with their workload. Defines the node count when
// `model: pbft`: replicas are nodes 0..n-1 and clients n..n+clients.count-1.
// Also: an explicit leader schedule for the first views, the Twins search that draws one per seed
// (with per-view partitions), and each client's sending strategy.
// May import: ../limits.js, ../schema.js, ../section.js, ./events.js, ./faults.js.

import { MAX_BYTES, MAX_CLIENTS, MAX_LIST, MAX_RATE, MAX_REPLICAS, MAX_TIME_S, MIN_INTERVAL_S } from "../limits.js";
import { arr, bool, either, int, nullable, num, obj, oneOf, optional, str } from "../schema.js";
import { defineSection } from "../section.js";
import { type EventSpec, eventReplicas } from "./events.js";
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
    strategy: optional(
      either(
        [
          str({ enum: ["primary", "broadcast"] }),
          arr(str({ enum: ["primary", "broadcast"] }), { minItems: 1, maxItems: MAX_CLIENTS, description: "One strategy per client (clients beyond the list: primary)." }),
        ],
        {
          description:
            'Where a new request goes: "primary" (the primary the client believes in, then every replica on retransmission) or "broadcast" (every replica from the first attempt); absent = primary.',
        },
      ),
    ),
  },
  { default: {}, description: "Clients of the replicated service." },
);

/** Most nodes (replicas plus twin copies) a Twins search partitions. */
export const MAX_TWINS_NODES = 20;

const twinsSearch = obj(
  {
    replicas: arr(int({ min: 0, max: MAX_REPLICAS - 1, description: "Replica id." }), {
      minItems: 1,
      maxItems: MAX_REPLICAS,
      description: "Twinned identities (two copies of each run correct code); at most f keeps the correct replicas safe.",
    }),
    views: int({ min: 1, max: 100, default: 10, description: "Time windows (about one view each) whose partition is drawn per seed; afterwards nothing is partitioned." }),
    leaders: optional(int({ min: 0, max: 100, description: "The first k views get a drawn primary (default: views); later views: v mod n." })),
    maxGroups: int({ min: 1, max: 3, default: 3, description: "Groups per partition (at most three)." }),
    viewLength: num({
      min: 0.001,
      max: MAX_TIME_S,
      default: 0.5,
      description:
        "Mean seconds of each window (drawn in [0.5, 1.5] times this); every window after the first opens with the correct replicas suspecting their primary, as under asynchrony.",
    }),
  },
  {
    description:
      "A Twins-style schedule generator for `sim check`: per seed, the leader of each of the first views and a partition of the nodes per view, symmetric choices pruned.",
  },
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
        leaders: optional(
          arr(int({ min: 0, max: MAX_REPLICAS - 1, description: "Replica id." }), {
            minItems: 1,
            maxItems: MAX_LIST,
            description: "Primaries of views 0, 1, … (a leader schedule all replicas share); later views v mod n. Absent: v mod n.",
          }),
        ),
        twinsSearch: optional(twinsSearch),
      },
      { description: "PBFT replica group, its clients and injected faults." },
    ),
    { default: null },
  ),
  requiredFor: ["pbft", "pot"],
  nodeCount: (v, model) => (v && model === "pbft" ? { count: v.n + v.clients.count, path: "n", source: "pbft.n + pbft.clients.count" } : undefined),
  check: (v, ctx, env) => {
    if (!v) return;
    // In `model: pot` the PBFT clients are the meta nodes, then the gateways.
    const e = env.model === "pot" ? (env.root.economics as { metaNodes: { count: number }; gateways: number } | null) : null;
    const clientCount = e ? e.metaNodes.count + e.gateways : v.clients.count;
    const clientSource = e ? "economics.metaNodes.count + economics.gateways" : "pbft.clients.count";
    const clientOk = (c: number, at: readonly (string | number)[]) => {
      if (c >= clientCount) ctx.error(at, `client ${c} does not exist (${clientSource} is ${clientCount})`);
    };
    const replicaOk = (r: number, at: readonly (string | number)[]) => {
      if (r >= v.n) ctx.error(at, `replica ${r} does not exist (pbft.n is ${v.n})`);
    };
    const eventOk = (e: EventSpec, at: readonly (string | number)[]) => {
      for (const { key, id } of eventReplicas(e)) replicaOk(id, [...at, key]);
      if ((e.event === "received" || e.event === "sent") && e.client !== undefined) clientOk(e.client, [...at, "client"]);
    };
    v.faults.forEach((f, i) => {
      if (f.type === "twins") {
        each(f.replicas, ["faults", i, "replicas"], replicaOk);
        (f.sides ?? []).forEach((side, s) => {
          each(side, ["faults", i, "sides", s], replicaOk);
        });
        (f.clientSides ?? []).forEach((side, s) => {
          each(side, ["faults", i, "clientSides", s], clientOk);
        });
        (f.schedule ?? []).forEach((ph, p) => {
          ph.groups.forEach((g, gi) => {
            g.forEach((ref, k) => {
              if (typeof ref === "number") replicaOk(ref, ["faults", i, "schedule", p, "groups", gi, k]);
            });
          });
        });
      } else replicaOk(f.replica, ["faults", i, "replica"]);
      if (f.type === "censor") each(f.clients, ["faults", i, "clients"], clientOk);
      if (f.type === "crash" && f.on !== undefined) eventOk(f.on, ["faults", i, "on"]);
      if (f.type === "script") checkScript(f, ["faults", i], replicaOk, clientOk, eventOk);
      if ("until" in f && f.until !== undefined && f.until <= f.at) ctx.error(["faults", i, "until"], `must be > at (${f.at}), got ${f.until}`);
    });
    each(v.leaders ?? [], ["leaders"], replicaOk);
    const search = v.twinsSearch;
    if (search !== undefined) {
      each(search.replicas, ["twinsSearch", "replicas"], replicaOk);
      if (new Set(search.replicas).size !== search.replicas.length) ctx.error(["twinsSearch", "replicas"], "lists a replica twice");
      if (v.n + search.replicas.length > MAX_TWINS_NODES) {
        ctx.error(["twinsSearch", "replicas"], `partitions at most ${MAX_TWINS_NODES} nodes (replicas plus twin copies), got ${v.n + search.replicas.length}`);
      }
      if (v.faults.some((f) => f.type === "twins")) ctx.error("twinsSearch", "a scenario has either a twins fault or a twinsSearch, not both");
    }
    const strategy = v.clients.strategy;
    if (Array.isArray(strategy) && env.model === "pbft" && strategy.length > v.clients.count) {
      ctx.error(["clients", "strategy"], `lists ${strategy.length} strategies for ${v.clients.count} clients`);
    }
    const rules = (env.root.network as { rules?: Array<{ action: string; until?: unknown; client?: number }> } | undefined)?.rules ?? [];
    rules.forEach((r, i) => {
      if (r.action === "hold" && typeof r.until === "object" && r.until !== null) {
        for (const { key, id } of eventReplicas(r.until as EventSpec)) {
          if (id >= v.n) env.rootCtx.error(["network", "rules", i, "until", key], `replica ${id} does not exist (pbft.n is ${v.n})`);
        }
      }
      if (r.client !== undefined && r.client >= clientCount) env.rootCtx.error(["network", "rules", i, "client"], `client ${r.client} does not exist (${clientSource} is ${clientCount})`);
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

/** Checks every id of `ids` with `ok`, at `at`[k]. */
function each(ids: readonly number[], at: readonly (string | number)[], ok: (id: number, at: readonly (string | number)[]) => void): void {
  ids.forEach((id, k) => {
    ok(id, [...at, k]);
  });
}

type ScriptFault = Extract<NonNullable<typeof pbft.schema._type>["faults"][number], { type: "script" }>;

/** Replica and client ids a script names. */
function checkScript(
  f: ScriptFault,
  at: readonly (string | number)[],
  replicaOk: (r: number, at: readonly (string | number)[]) => void,
  clientOk: (c: number, at: readonly (string | number)[]) => void,
  eventOk: (e: EventSpec, at: readonly (string | number)[]) => void,
): void {
  f.steps.forEach((step, si) => {
    const sp = [...at, "steps", si];
    if (step.on !== undefined) eventOk(step.on, [...sp, "on"]);
    step.send.forEach((m, mi) => {
      const mp = [...sp, "send", mi];
      each(m.to ?? [], [...mp, "to"], replicaOk);
      const refs = (c: { request?: { client: number }; requests?: Array<{ client: number }> }, p: readonly (string | number)[]) => {
        if (c.request !== undefined) clientOk(c.request.client, [...p, "request", "client"]);
        (c.requests ?? []).forEach((r, k) => {
          clientOk(r.client, [...p, "requests", k, "client"]);
        });
      };
      if (m.type === "pre-prepare" || m.type === "prepare" || m.type === "commit") refs(m, mp);
      if (m.type === "view-change") {
        m.prepared.forEach((c, ci) => {
          const cp = [...mp, "prepared", ci];
          refs(c, cp);
          each(c.prepares ?? [], [...cp, "prepares"], replicaOk);
        });
      }
      if (m.type === "new-view") each(m.viewChanges ?? [], [...mp, "viewChanges"], replicaOk);
    });
  });
}
