// Fault declarations for the PBFT replica group: scheduled faults (crash — at a time or on an
// event —, recover, Byzantine behaviours applied from outside the honest replica, scripted Byzantine
// schedules, message mutation, twins with fixed sides or per-view/per-window partitions) and
// per-seed random fault mixes.
// May import: ../limits.js, ../schema.js, ./events.js.

import { MAX_CLIENTS, MAX_LABEL_LENGTH, MAX_LIST, MAX_REPLICAS, MAX_SAFE, MAX_TIME_S, MIN_INTERVAL_S } from "../limits.js";
import { arr, either, int, num, obj, oneOf, optional, record, refine, str } from "../schema.js";
import { eventSchema } from "./events.js";

const replica = int({ min: 0, max: MAX_REPLICAS - 1, description: "Replica id (0..n-1)." });
const client = int({ min: 0, max: MAX_CLIENTS - 1, description: "Client index (0-based)." });
const seconds = (description: string, dflt?: number) =>
  num({ min: MIN_INTERVAL_S, max: MAX_TIME_S, description, ...(dflt === undefined ? {} : { default: dflt }) });
const at = num({ min: 0, max: MAX_TIME_S, default: 0, description: "When the fault starts (s)." });
const until = optional(num({ min: 0, max: MAX_TIME_S, description: "When the behaviour stops (s); absent = end of run." }));

const view = (description: string) => int({ min: 0, max: MAX_SAFE, description });
const seqNo = (description: string) => int({ min: 1, max: MAX_SAFE, description });
const requestRef = obj(
  {
    client,
    timestamp: int({ min: 1, max: MAX_SAFE, description: "The client's request timestamp (its 1st, 2nd, … request)." }),
  },
  { description: "A client request: which client, which of its requests." },
);
const digestChoice = {
  request: optional(requestRef, { description: "The digest of a batch holding this request alone." }),
  requests: optional(arr(requestRef, { maxItems: MAX_LIST, description: "The digest of a batch of these requests (empty: the null request)." })),
  digest: optional(str({ minLength: 1, maxLength: 256, description: 'A literal digest ("null": the null request).' })),
};
/** Exactly one of request, requests, digest. */
function oneDigest(v: { request?: unknown; requests?: unknown; digest?: unknown }, ctx: { error(m: string): void }): void {
  const given = [v.request, v.requests, v.digest].filter((x) => x !== undefined).length;
  if (given !== 1) ctx.error('give exactly one of "request", "requests" or "digest"');
}
const addressed = {
  to: optional(arr(replica, { minItems: 1, maxItems: MAX_REPLICAS, description: "Receiving replicas; absent = every other replica." })),
  copies: int({ min: 1, max: 1000, default: 1, description: "Copies each receiver gets." }),
};

const scriptMessage = oneOf(
  "type",
  {
    "pre-prepare": refine(
      obj(
        {
          view: view("View."),
          seq: seqNo("Sequence number."),
          request: optional(requestRef, { description: "The batch: this request alone." }),
          requests: optional(arr(requestRef, { maxItems: MAX_LIST, description: "The batch (empty or absent with no request: the null request)." })),
          ...addressed,
        },
        { description: "A PRE-PREPARE with its batch (requests this replica has received; the step waits for them)." },
      ),
      (m, ctx) => {
        if (m.request !== undefined && m.requests !== undefined) ctx.error('give "request" or "requests", not both');
      },
    ),
    prepare: refine(obj({ view: view("View."), seq: seqNo("Sequence number."), ...digestChoice, ...addressed }, { description: "A PREPARE for a chosen digest." }), oneDigest),
    commit: refine(obj({ view: view("View."), seq: seqNo("Sequence number."), ...digestChoice, ...addressed }, { description: "A COMMIT for a chosen digest." }), oneDigest),
    checkpoint: obj(
      {
        seq: seqNo("Checkpoint sequence number."),
        digest: optional(str({ minLength: 1, maxLength: 256, description: "Checkpoint digest; absent = a fabricated one." })),
        ...addressed,
      },
      { description: "A CHECKPOINT with a chosen digest." },
    ),
    "view-change": refine(
      obj(
        {
          view: int({ min: 1, max: MAX_SAFE, description: "The view asked for." }),
          stable: optional(
            obj(
              {
                seq: seqNo("Claimed stable checkpoint."),
                digest: optional(str({ minLength: 1, maxLength: 256, description: "Its digest; absent = the one best backed by CHECKPOINTs held." })),
              },
              { description: "The checkpoint claim; its proof is built from CHECKPOINTs this replica holds (absent: checkpoint 0)." },
            ),
          ),
          prepared: arr(
            refine(
              obj(
                {
                  seq: seqNo("Sequence number."),
                  view: view("View the certificate is from (below the VIEW-CHANGE's view)."),
                  ...digestChoice,
                  prepares: optional(
                    arr(replica, {
                      minItems: 1,
                      maxItems: MAX_REPLICAS,
                      description: "Backups whose PREPAREs it claims; absent = those it holds. A claim it cannot back is dropped and recorded.",
                    }),
                  ),
                },
                { description: "A prepared certificate." },
              ),
              oneDigest,
            ),
            { default: [], maxItems: MAX_LIST, description: "The prepared set P." },
          ),
          ...addressed,
        },
        { description: "A VIEW-CHANGE with a chosen checkpoint claim and prepared set (certificates only as held)." },
      ),
      (m, ctx) => {
        m.prepared.forEach((c, i) => {
          if (c.view >= m.view) ctx.error(["prepared", i, "view"], `must be below the VIEW-CHANGE's view (${m.view}), got ${c.view}`);
        });
      },
    ),
    "new-view": obj(
      {
        view: int({ min: 1, max: MAX_SAFE, description: "The new view." }),
        viewChanges: optional(
          arr(replica, {
            minItems: 1,
            maxItems: MAX_REPLICAS,
            description: "Senders whose VIEW-CHANGEs form V (as held); absent = the first Q held. O is computed from V.",
          }),
        ),
        ...addressed,
      },
      { description: "A NEW-VIEW built from VIEW-CHANGEs this replica holds." },
    ),
    state: obj(
      {
        seq: seqNo("Checkpoint sequence number of the state."),
        kv: record(str({ maxLength: MAX_LABEL_LENGTH }), { description: "The fabricated key-value state." }),
        digest: optional(str({ minLength: 1, maxLength: 256, description: "Claimed digest; absent = the fabricated state's own." })),
        ...addressed,
      },
      { description: "A state-transfer reply (STATE) with fabricated state." },
    ),
  },
  { description: "A protocol message built with the protocol's constructors.", tagDescription: "Message type." },
);

const scriptStep = refine(
  obj(
    {
      at: optional(num({ min: 0, max: MAX_TIME_S, description: "When the step fires (s); with `on`: not before this time." })),
      on: optional(eventSchema, { description: "The step fires when this event happens." }),
      send: arr(scriptMessage, { minItems: 1, maxItems: MAX_LIST, description: "Messages sent (k-way equivocation: k messages to k sets)." }),
    },
    { description: "One scripted step." },
  ),
  (st, ctx) => {
    if (st.at === undefined && st.on === undefined) ctx.error('needs "at" or "on"');
  },
);

const MESSAGE_KINDS = [
  "all",
  "pre-prepare",
  "prepare",
  "commit",
  "checkpoint",
  "view-change",
  "new-view",
  "reply",
  "fetch-state",
  "state",
  "fetch-batch",
  "batch",
  "fetch-new-view",
  "status",
  "commit-certs",
  "stable-proof",
  "request",
] as const;

const twinNode = either(
  [
    replica,
    str({ pattern: /^\d+'$/, patternText: "be a replica id followed by ' (the second copy of a twinned replica), e.g. \"0'\"", maxLength: 12 }),
  ],
  { description: "A replica id (its first copy) or \"r'\" (the second copy of twinned replica r)." },
);

const twinPhase = refine(
  obj(
    {
      view: optional(view("From this view on (messages of this view and later)."), { description: "From this view on (messages of this view and later)." }),
      at: optional(num({ min: 0, max: MAX_TIME_S, description: "From this time on (s)." })),
      groups: arr(arr(twinNode, { minItems: 1, maxItems: MAX_REPLICAS }), {
        maxItems: MAX_REPLICAS,
        description: "Groups of nodes; unlisted nodes form one more group together (empty: no partition).",
      }),
    },
    { description: "A phase of a twins schedule: give either view or at." },
  ),
  (ph, ctx) => {
    if ((ph.view === undefined) === (ph.at === undefined)) ctx.error('give exactly one of "view" or "at"');
  },
);

export const faultSchema = oneOf(
  "type",
  {
    crash: obj(
      { replica, at, on: optional(eventSchema, { description: "Crash when this event happens (from `at` on) instead of at `at`." }) },
      { description: "The replica stops: no input, no output, timers lost." },
    ),
    recover: obj(
      {
        replica,
        at,
        state: str({
          enum: ["kept", "lost"],
          default: "kept",
          description: "kept: restarts from its persisted log; lost: amnesia (empty state, counted as faulty).",
        }),
      },
      { description: "A crashed replica restarts." },
    ),
    silent: obj({ replica, at, until }, { description: "Receives but sends nothing." }),
    equivocate: obj(
      { replica, at, until },
      { description: "As primary, sends different pre-prepares for the same slot to two halves of the backups." },
    ),
    wrongDigest: obj(
      { replica, at, until },
      { description: "Sends PREPARE and COMMIT messages with corrupted digests." },
    ),
    censor: obj(
      {
        replica,
        at,
        until,
        clients: arr(client, { minItems: 1, description: "Client indices (0-based) whose requests it drops." }),
      },
      { description: "Ignores the listed clients' requests (a censoring primary)." },
    ),
    delay: obj(
      {
        replica,
        at,
        until,
        delay: seconds("Extra delay on each of its messages (s)."),
        kinds: optional(arr(str({ maxLength: MAX_LABEL_LENGTH }), { minItems: 1, maxItems: MAX_LIST, description: "Only these message kinds; default all." })),
      },
      { description: "Delays its own messages." },
    ),
    selective: obj(
      {
        replica,
        at,
        until,
        to: arr(replica, { description: "The only replicas it still sends to." }),
      },
      { description: "Sends its messages to a subset of replicas only." },
    ),
    viewChangeSpam: obj(
      {
        replica,
        at,
        until,
        interval: seconds("Seconds between spam messages.", 0.5),
      },
      { description: "Sends VIEW-CHANGE messages for ever higher views." },
    ),
    replay: obj(
      {
        replica,
        at,
        until,
        delay: seconds("How old the replayed messages are (s).", 5),
      },
      { description: "Re-sends each of its own messages again `delay` seconds later." },
    ),
    twoFaced: obj(
      { replica, at, until },
      {
        description:
          "As primary, sends the real pre-prepare to the lower half of the backups and a null one to the upper half, backs each version with its own PREPARE and COMMIT, and reports no prepared certificates in its VIEW-CHANGEs.",
      },
    ),
    forge: obj(
      {
        replica,
        at,
        until,
        variant: str({
          enum: ["badDigest", "backupPrePrepare", "impersonate", "truncate", "primaryPrepare", "fixedSeq"],
          description:
            "badDigest: pre-prepares whose digest does not match the body; backupPrePrepare: a null pre-prepare of its own before each PREPARE; impersonate: PREPARE/COMMIT naming another replica; truncate: PREPARE/COMMIT without fields; primaryPrepare: a PREPARE of its own after each pre-prepare; fixedSeq: the first pre-prepare of each view goes out at sequence number `seq`, later ones are withheld.",
        }),
        seq: int({ min: 0, max: MAX_SAFE, default: 1, description: "Sequence number of every pre-prepare (variant fixedSeq)." }),
      },
      { description: "Sends invalid or impersonated ordering messages." },
    ),
    fuzz: obj(
      { replica, at, until },
      {
        description:
          "Sends every PREPARE/COMMIT five times with corrupted digests, with view +-1 and far outside the window, and CHECKPOINTs with wrong digests or far ahead.",
      },
    ),
    badReplies: obj(
      {
        replica,
        at,
        until,
        field: str({ enum: ["result", "timestamp"], default: "result", description: "Which field of its REPLYs it falsifies." }),
      },
      { description: "Sends clients replies with a fabricated result or a wrong timestamp." },
    ),
    twins: refine(
      obj(
        {
          at,
          replicas: arr(replica, { minItems: 1, description: "Byzantine replicas, each run as two honest twins." }),
          sides: optional(
            arr(arr(replica), {
              minItems: 2,
              maxItems: 2,
              description: "The correct replicas, split in two sides; each side talks to one twin of each Byzantine replica.",
            }),
          ),
          clientSides: optional(
            arr(arr(client), {
              minItems: 2,
              maxItems: 2,
              description: "Client indices per side (with sides): a side's twins only hear its clients.",
            }),
          ),
          schedule: optional(
            arr(twinPhase, {
              minItems: 1,
              maxItems: MAX_LIST,
              description: "Partitions of all nodes (twin copies named r') per view or per time window, instead of fixed sides; clients reach every node.",
            }),
          ),
        },
        {
          description:
            "Colluding Byzantine replicas as 'twins' (Bano et al.): two honest copies of each, connected to different sides or partitioned per view/window. Beyond f it breaks safety.",
        },
      ),
      (t, ctx) => {
        if ((t.sides === undefined) === (t.schedule === undefined)) ctx.error('give either "sides" (with "clientSides") or "schedule"');
        if (t.sides !== undefined && t.clientSides === undefined) ctx.error('"sides" needs "clientSides"');
        if (t.schedule !== undefined && t.clientSides !== undefined) ctx.error("clientSides", 'only with "sides" (a schedule lets clients reach every node)');
        const sched = t.schedule ?? [];
        const byView = sched[0]?.view !== undefined;
        sched.forEach((ph, i) => {
          if ((ph.view !== undefined) !== byView) ctx.error(["schedule", i], "every phase must use the same key (all view or all at)");
          const prev = sched[i - 1];
          const key = byView ? ph.view : ph.at;
          const last = prev === undefined ? undefined : byView ? prev.view : prev.at;
          if (key !== undefined && last !== undefined && key <= last) ctx.error(["schedule", i, byView ? "view" : "at"], `must be greater than the previous phase's (${last}), got ${key}`);
          const seen = new Set<string>();
          ph.groups.forEach((g, gi) => {
            g.forEach((ref, k) => {
              const name = String(ref);
              if (seen.has(name)) ctx.error(["schedule", i, "groups", gi, k], `node ${JSON.stringify(ref)} is in two groups`);
              seen.add(name);
              if (typeof ref === "string" && !t.replicas.includes(Number(ref.slice(0, -1)))) {
                ctx.error(["schedule", i, "groups", gi, k], `${JSON.stringify(ref)}: replica ${ref.slice(0, -1)} is not twinned (replicas: ${t.replicas.join(", ")})`);
              }
            });
          });
        });
      },
    ),
    script: obj(
      {
        replica,
        at,
        until,
        suppress: optional(
          arr(str({ enum: MESSAGE_KINDS }), {
            minItems: 1,
            description: 'Kinds of its honest replica\'s own messages not sent ("all": none is), so the script speaks for it.',
          }),
        ),
        steps: arr(scriptStep, { minItems: 1, maxItems: MAX_LIST, description: "The schedule." }),
      },
      {
        description:
          "A scripted Byzantine replica: at times or on events it sends chosen protocol messages to chosen replicas; certificates only as it holds them (see docs/pbft.md §1.4).",
      },
    ),
    mutate: obj(
      {
        replica,
        at,
        until,
        probability: num({ min: 0, max: 1, default: 0.2, description: "Probability that each outgoing protocol message copy is mutated." }),
        mutations: arr(str({ enum: ["view", "seq", "replay", "digest"] }), {
          minItems: 1,
          default: ["view", "seq", "replay", "digest"],
          description: "view ±1, seq ±1, replay of an earlier proposal in a later view, digest swapped for another pending request's.",
        }),
      },
      { description: "ByzzFuzz-style mutation of this replica's own protocol messages with a seeded probability." },
    ),
  },
  { description: "One fault.", tagDescription: "Kind of fault." },
);

export const randomFaultsSchema = refine(obj(
  {
    count: int({ min: 0, max: MAX_REPLICAS, default: 1, description: "Faulty replicas drawn per seed (capped at f)." }),
    kinds: arr(
      str({
        enum: [
          "crash",
          "crashRecover",
          "amnesia",
          "silent",
          "equivocate",
          "wrongDigest",
          "delay",
          "viewChangeSpam",
          "replay",
          "twoFaced",
          "fuzz",
          "lowSeq",
        ],
      }),
      { minItems: 1, default: ["crash", "crashRecover", "silent", "equivocate", "wrongDigest"], description: "Fault kinds to draw from (lowSeq: forge variant fixedSeq at sequence 1)." },
    ),
    start: num({ min: 0, max: MAX_TIME_S, default: 0, description: "Faults start in [start, end)." }),
    end: num({ exclusiveMin: 0, max: MAX_TIME_S, default: 10, description: "Latest fault start (s)." }),
    maxDuration: seconds("Longest behaviour or outage (s).", 10),
    replicas: optional(arr(replica, { minItems: 1, description: "Replicas the faulty ones are drawn from; default all." })),
  },
  { description: "A per-seed random fault mix (VOPR-style): which replicas, which faults, when." },
),
  (v, ctx) => {
    if (v.end < v.start) ctx.error("end", `must be >= start (${v.start}), got ${v.end}`);
  },
);

export const faultsSchema = arr(faultSchema, { default: [], maxItems: MAX_LIST, description: "Scheduled faults." });
