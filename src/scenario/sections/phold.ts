// Section `phold`: parameters of the PHOLD benchmark model (logical processes exchanging
// timestamped events). Defines the node count when `model: phold`.
// May import: ../limits.js, ../schema.js, ../section.js.

import { MAX_POPULATION, MAX_TIME_S, MIN_INTERVAL_S } from "../limits.js";
import { int, num, obj, refine } from "../schema.js";
import { defineSection } from "../section.js";

/** The kernel's event queue holds at most 2^24 pending events (kernel/queue.ts). */
export const MAX_PENDING_EVENTS = 2 ** 24;

export const phold = defineSection({
  schema: refine(obj(
    {
      lps: int({ min: 1, max: MAX_POPULATION, default: 1000, description: "Number of logical processes (nodes 0..lps-1)." }),
      init: int({ min: 1, max: 1_000_000, default: 16, description: "Events each logical process starts with." }),
      remote: num({
        min: 0,
        max: 1,
        default: 1.0,
        description: "Probability that an event is sent to another (uniformly chosen) logical process.",
      }),
      lookahead: num({ min: 0, max: MAX_TIME_S, default: 0.1, description: "Minimum delay added to every event, in simulated seconds." }),
      meanDelay: num({
        min: MIN_INTERVAL_S,
        max: MAX_TIME_S,
        default: 1.0,
        description: "Mean of the exponential delay added on top of the lookahead, in simulated seconds.",
      }),
    },
    { default: {}, description: "PHOLD benchmark model parameters." },
  ),
  (v, ctx) => {
    if (v.lps * v.init > MAX_PENDING_EVENTS) {
      ctx.error("init", `lps × init must be <= ${MAX_PENDING_EVENTS} (the kernel's pending-event limit), got ${v.lps} × ${v.init} = ${v.lps * v.init}`);
    }
  },
  ),
  nodeCount: (v, model) => (model === "phold" ? { count: v.lps, path: "lps" } : undefined),
});
