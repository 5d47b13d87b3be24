// Section `network`: latency, bandwidth, loss, duplication, reordering, scheduled and random
// partitions, targeted rules and latency spikes. The resolved shape matches net/config.ts.
// Rules may match protocol fields (view, sequence number, digest, the request of a client) and the
// k-th occurrence, and hold messages until a time or a protocol event (./events.ts).
// May import: ../context.js, ../limits.js, ../schema.js, ../section.js, ./events.js, ./latency.js, ./node-ids.js.

import type { RefineCtx } from "../context.js";
import { MAX_BYTES, MAX_CLIENTS, MAX_LABEL_LENGTH, MAX_LIST, MAX_SAFE, MAX_TIME_S, MIN_INTERVAL_S } from "../limits.js";
import { arr, bool, either, int, nullable, num, obj, oneOf, optional, refine, str } from "../schema.js";
import { defineSection, type SectionEnv } from "../section.js";
import { eventSchema, fieldMatch } from "./events.js";
import { latency } from "./latency.js";
import { checkNodeId, checkNodeIds, nodeId, nodeIds } from "./node-ids.js";

const probability = (description: string, dflt?: number) =>
  num({ min: 0, max: 1, description, ...(dflt === undefined ? {} : { default: dflt }) });
const time = (description: string, dflt?: number) =>
  num({ min: 0, max: MAX_TIME_S, description, ...(dflt === undefined ? {} : { default: dflt }) });
const interval = (description: string) => num({ min: MIN_INTERVAL_S, max: MAX_TIME_S, description });

/** `end` (when given) must come after `start`; the names differ per object. */
function after(later: string, earlier: string) {
  return (v: Record<string, unknown>, ctx: RefineCtx) => {
    const a = v[earlier] as number;
    const b = v[later] as number | undefined;
    if (b !== undefined && b <= a) ctx.error(later, `must be > ${earlier} (${a}), got ${b}`);
  };
}

const reorder = obj(
  {
    probability: probability("Probability that a message gets an extra delay (and may overtake others)."),
    maxDelay: time("The extra delay is uniform in [0, maxDelay] seconds."),
  },
  { description: "Reordering by random extra delay." },
);

const partition = refine(
  obj(
    {
      at: time("When the partition starts (simulated seconds)."),
      heal: optional(time("When it heals (> at); absent = never.")),
      groups: optional(
        arr(arr(nodeId, { minItems: 1 }), {
          minItems: 1,
          description: "Disjoint lists of node ids; nodes not listed form one more group together.",
        }),
      ),
      isolate: optional(nodeId, { description: "Cut this one node off from all others (instead of groups)." }),
      symmetric: bool({
        default: true,
        description:
          "false: only traffic from a lower-numbered group to a higher-numbered one is cut (an isolated node can still receive but is not heard).",
      }),
    },
    { description: 'A scheduled partition: give either "groups" or "isolate".' },
  ),
  (p, ctx) => {
    if (p.groups === undefined && p.isolate === undefined) ctx.error('needs either "groups" or "isolate"');
    if (p.groups !== undefined && p.isolate !== undefined) ctx.error("isolate", 'give either "groups" or "isolate", not both');
    after("heal", "at")(p, ctx);
    const seen = new Map<number, number>();
    p.groups?.forEach((g, gi) => {
      g.forEach((id, k) => {
        const first = seen.get(id);
        if (first !== undefined) ctx.error(["groups", gi, k], `node ${id} is already in group ${first}`);
        else seen.set(id, gi);
      });
    });
  },
);

const randomPartitions = refine(
  obj(
    {
      mode: str({
        enum: ["isolate", "uniform"],
        default: "isolate",
        description: '"isolate": cut off one random node; "uniform": split all nodes into two random non-empty sides.',
      }),
      meanInterval: interval("Mean seconds between a heal and the next partition (exponential)."),
      meanDuration: interval("Mean partition duration in seconds (exponential)."),
      start: time("No random partition before this time.", 0),
      end: optional(time("No random partition after this time; all heal by then. Absent = until the end.")),
    },
    { description: "Random partitions that come and go (packet-simulator style)." },
  ),
  after("end", "start"),
);

const ruleFields = {
  kind: optional(
    either([str({ minLength: 1, maxLength: MAX_LABEL_LENGTH }), arr(str({ minLength: 1, maxLength: MAX_LABEL_LENGTH }), { minItems: 1 })], {
      description: "Message kind(s) the rule applies to; absent = all kinds.",
    }),
  ),
  from: optional(nodeIds("Sender id(s); absent = any sender.")),
  to: optional(nodeIds("Receiver id(s); absent = any receiver.")),
  start: time("Rule applies to messages sent at or after this time.", 0),
  end: optional(time("Rule applies to messages sent before this time; absent = forever.")),
  probability: probability("Probability that a matching message is affected.", 1),
  view: optional(fieldMatch("view"), { description: "Only messages of this view (a value, list or range); messages without a view never match." }),
  seq: optional(fieldMatch("sequence number"), {
    description: "Only messages of this sequence number (a value, list or range); messages without one never match.",
  }),
  digest: optional(str({ minLength: 1, maxLength: 256, description: 'Only messages carrying this digest ("null" for the null request).' })),
  client: optional(
    int({ min: 0, max: MAX_CLIENTS - 1, description: "Only messages that carry, or name by digest, a request of this client (its index)." }),
  ),
  timestamp: optional(int({ min: 1, max: MAX_SAFE, description: "With client: only that client's request with this timestamp (1, 2, …)." })),
  occurrence: optional(
    either([int({ min: 1, max: MAX_SAFE }), arr(int({ min: 1, max: MAX_SAFE }), { minItems: 1, maxItems: MAX_LIST })], {
      description: "Only the k-th matching message(s), counted from 1 over copies that match every other field.",
    }),
  ),
};

const rule = refine(
  oneOf(
    "action",
    {
      drop: obj(ruleFields, { description: "Drop matching messages." }),
      delay: obj(
        { ...ruleFields, delay: num({ exclusiveMin: 0, max: MAX_TIME_S, description: "Extra seconds added to matching messages." }) },
        { description: "Delay matching messages." },
      ),
      duplicate: obj(ruleFields, { description: "Deliver matching messages twice." }),
      hold: obj(
        {
          ...ruleFields,
          until: either([time("Release held messages at this simulated time."), eventSchema], {
            description: "When held messages go out: a time (s) or a protocol event; after it the rule holds nothing.",
          }),
        },
        { description: "Hold matching messages until a time or an event, then deliver them (at the later of then and their own arrival)." },
      ),
      redirect: obj(
        { ...ruleFields, deliverTo: nodeIds("Node id(s) that get the message instead of its receiver.") },
        { description: "Deliver matching messages to other nodes instead of their receiver (sent afresh by the same sender)." },
      ),
    },
    { description: "A targeted network fault.", tagDescription: "What happens to matching messages." },
  ),
  (r, ctx) => {
    after("end", "start")(r, ctx);
    if (r.timestamp !== undefined && r.client === undefined) ctx.error("timestamp", 'needs "client" (the request of which client)');
  },
);

const spike = refine(
  obj(
    {
      at: time("Start of the spike (simulated seconds)."),
      until: time("End of the spike (> at)."),
      extra: num({ exclusiveMin: 0, max: MAX_TIME_S, description: "Extra one-way latency in seconds during the spike." }),
    },
    { description: "A period of added latency on every link." },
  ),
  after("until", "at"),
);

const schema = obj(
  {
    latency,
    bandwidth: nullable(num({ min: 1, max: MAX_BYTES }), {
      default: null,
      description: "Bits per second per directed link; null = infinite (no serialization delay).",
    }),
    loss: probability("Probability that a message is lost.", 0),
    duplicate: probability("Probability that a message is delivered twice.", 0),
    reorder: nullable(reorder, { default: null, description: "Random extra delay that reorders messages; null = none." }),
    partitions: arr(partition, { default: [], maxItems: MAX_LIST, description: "Scheduled partitions." }),
    randomPartitions: nullable(randomPartitions, { default: null, description: "Random partitions; null = none." }),
    rules: arr(rule, { default: [], maxItems: MAX_LIST, description: "Targeted drop/delay/duplicate/hold/redirect rules." }),
    spikes: arr(spike, { default: [], maxItems: MAX_LIST, description: "Latency spikes." }),
  },
  { default: {}, description: "The simulated network between nodes." },
);

type Network = typeof schema._type;

function checkNodes(net: Network, ctx: RefineCtx, env: SectionEnv): void {
  const nodes = env.nodes;
  if (nodes === undefined) return;
  net.partitions.forEach((p, i) => {
    if (p.isolate !== undefined) checkNodeId(p.isolate, ctx, ["partitions", i, "isolate"], env);
    p.groups?.forEach((g, gi) => {
      checkNodeIds(g, ctx, ["partitions", i, "groups", gi], env);
    });
  });
  net.rules.forEach((r, i) => {
    checkNodeIds(r.from, ctx, ["rules", i, "from"], env);
    checkNodeIds(r.to, ctx, ["rules", i, "to"], env);
    if (r.action === "redirect") checkNodeIds(r.deliverTo, ctx, ["rules", i, "deliverTo"], env);
  });
  const lat = net.latency;
  if (lat.model === "regions" && Array.isArray(lat.assignment) && lat.assignment.length !== nodes.count) {
    ctx.error(
      ["latency", "assignment"],
      `must name one region per node: ${nodes.source} is ${nodes.count}, got ${lat.assignment.length}`,
    );
  }
}

export const network = defineSection({ schema, check: checkNodes });
