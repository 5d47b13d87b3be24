// Protocol events a scenario can wait for: a message received or sent by a replica, a replica
// entering (installing) a view, a replica executing a sequence number. Used by network rules that hold
// messages until an event (`until:`), by scripted Byzantine replicas (`on:`) and by crashes
// that happen on an event. Also the protocol-field matchers shared with network rules (a value, a
// list or an inclusive range). The world's trigger table (world/pbft/triggers.ts) watches them.
// May import: ../context.js, ../limits.js, ../schema.js, ../section.js, ./node-ids.js.

import type { RefineCtx } from "../context.js";
import { MAX_CLIENTS, MAX_LABEL_LENGTH, MAX_LIST, MAX_REPLICAS, MAX_SAFE } from "../limits.js";
import { arr, either, int, obj, oneOf, optional, refine, str } from "../schema.js";

/** A non-negative protocol number (view, sequence number, timestamp). */
const protocolNumber = (description: string) => int({ min: 0, max: MAX_SAFE, description });

/** One value, a list of values, or an inclusive range `{ min, max }` (either end may be left open). */
export const fieldMatch = (what: string) =>
  either(
    [
      protocolNumber(`The ${what}.`),
      arr(protocolNumber(`A ${what}.`), { minItems: 1, maxItems: MAX_LIST }),
      refine(
        obj(
          {
            min: optional(protocolNumber(`Lowest ${what} (inclusive).`)),
            max: optional(protocolNumber(`Highest ${what} (inclusive).`)),
          },
          { description: `A range of ${what}s.` },
        ),
        (r, ctx) => {
          if (r.min === undefined && r.max === undefined) ctx.error('needs "min" or "max"');
          if (r.min !== undefined && r.max !== undefined && r.max < r.min) ctx.error("max", `must be >= min (${r.min}), got ${r.max}`);
        },
      ),
    ],
    { description: `Matches a ${what}: one value, a list, or a range {min, max}.` },
  );

const replica = int({ min: 0, max: MAX_REPLICAS - 1, description: "Replica id (0..n-1); absent = any replica." });
const kind = str({ minLength: 1, maxLength: MAX_LABEL_LENGTH, description: "Message kind (pre-prepare, prepare, commit, view-change, …); absent = any." });
const count = int({ min: 1, max: 1_000_000, default: 1, description: "The event fires on the count-th matching occurrence." });

const messageFields = {
  replica: optional(replica),
  kind: optional(kind),
  view: optional(fieldMatch("view")),
  seq: optional(fieldMatch("sequence number")),
  client: optional(int({ min: 0, max: MAX_CLIENTS - 1, description: "The message carries or names a request of this client." })),
  count,
};

export const eventSchema = oneOf(
  "event",
  {
    received: obj(
      { ...messageFields, from: optional(int({ min: 0, max: MAX_REPLICAS - 1, description: "Sending replica; absent = any replica." })) },
      { description: "A replica received a matching protocol message (delivered by the network, before it is processed)." },
    ),
    sent: obj(
      { ...messageFields, to: optional(int({ min: 0, max: MAX_REPLICAS - 1, description: "Receiving replica; absent = any." })) },
      { description: "A replica sent a matching protocol message (one network send, after any Byzantine rewriting)." },
    ),
    viewEntered: obj(
      { view: protocolNumber("View (the event fires for this view or a later one)."), replica: optional(replica), count },
      { description: "A replica installed the view (a NEW-VIEW; view 0 is never entered, it is where replicas start)." },
    ),
    executed: obj(
      { seq: protocolNumber("Sequence number (this one or a later one)."), replica: optional(replica), count },
      { description: "A replica executed the sequence number (or reached it by state transfer)." },
    ),
  },
  { description: "A protocol event.", tagDescription: "Kind of event." },
);

export type EventSpec = typeof eventSchema._type;

/** Replica ids named by an event (for the check against pbft.n). */
export function eventReplicas(e: EventSpec): Array<{ key: string; id: number }> {
  const out: Array<{ key: string; id: number }> = [];
  if (e.replica !== undefined) out.push({ key: "replica", id: e.replica });
  if (e.event === "received" && e.from !== undefined) out.push({ key: "from", id: e.from });
  if (e.event === "sent" && e.to !== undefined) out.push({ key: "to", id: e.to });
  return out;
}

/** Reports replica ids of `e` (at `ctx`) that are not below `n`. */
export function checkEventReplicas(e: EventSpec, n: number, ctx: RefineCtx): void {
  for (const { key, id } of eventReplicas(e)) if (id >= n) ctx.error(key, `replica ${id} does not exist (pbft.n is ${n})`);
}
