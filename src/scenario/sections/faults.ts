// Fault declarations for the PBFT replica group: scheduled faults (crash, recover, Byzantine
// behaviours applied from outside the honest replica) and per-seed random fault mixes.
// May import: ../limits.js, ../schema.js.

import { MAX_CLIENTS, MAX_LABEL_LENGTH, MAX_LIST, MAX_REPLICAS, MAX_SAFE, MAX_TIME_S, MIN_INTERVAL_S } from "../limits.js";
import { arr, int, num, obj, oneOf, optional, refine, str } from "../schema.js";

const replica = int({ min: 0, max: MAX_REPLICAS - 1, description: "Replica id (0..n-1)." });
const client = int({ min: 0, max: MAX_CLIENTS - 1, description: "Client index (0-based)." });
const seconds = (description: string, dflt?: number) =>
  num({ min: MIN_INTERVAL_S, max: MAX_TIME_S, description, ...(dflt === undefined ? {} : { default: dflt }) });
const at = num({ min: 0, max: MAX_TIME_S, default: 0, description: "When the fault starts (s)." });
const until = optional(num({ min: 0, max: MAX_TIME_S, description: "When the behaviour stops (s); absent = end of run." }));

export const faultSchema = oneOf(
  "type",
  {
    crash: obj({ replica, at }, { description: "The replica stops: no input, no output, timers lost." }),
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
    twins: obj(
      {
        at,
        replicas: arr(replica, { minItems: 1, description: "Byzantine replicas, each run as two honest twins." }),
        sides: arr(arr(replica), {
          minItems: 2,
          maxItems: 2,
          description: "The correct replicas, split in two sides; each side talks to one twin of each Byzantine replica.",
        }),
        clientSides: arr(arr(client), {
          minItems: 2,
          maxItems: 2,
          description: "Client indices per side: a side's twins only hear its clients.",
        }),
      },
      {
        description:
          "Colluding Byzantine replicas as 'twins' (Bano et al.): two honest copies of each, connected to different sides. Beyond f it breaks safety.",
      },
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
