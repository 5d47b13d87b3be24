// Section `check`: what the continuous checkers enforce in a run (the liveness bounds of LIV-1 and
// LIV-2 and the time after which they apply), and whether a run stops at the first violation.
// May import: ../limits.js, ../schema.js, ../section.js.

import { MAX_TIME_S, MIN_INTERVAL_S } from "../limits.js";
import { bool, num, obj, optional } from "../schema.js";
import { defineSection } from "../section.js";

export const check = defineSection({
  schema: obj(
    {
      stabilization: optional(
        num({ min: 0, max: MAX_TIME_S, description: "LIV-1 and LIV-2 apply after this time (s); default: after the last scheduled fault, partition heal, latency spike or network rule end." }),
      ),
      livenessBound: num({
        min: MIN_INTERVAL_S,
        max: MAX_TIME_S,
        default: 30,
        description: "Every correct client's request must complete within this many seconds after stabilisation.",
      }),
      convergence: optional(
        num({
          min: 0,
          max: MAX_TIME_S,
          description:
            "LIV-2: after stabilisation, every correct replica that is up must be in normal mode in the group's view, having executed what the group had executed one poll earlier, within this many seconds (and again within every such window); default: livenessBound; 0 turns LIV-2 off.",
        }),
      ),
      liveness: bool({ default: true, description: "Check LIV-1 and LIV-2 at all (off for scenarios that expect to stall)." }),
      stopOnViolation: bool({ default: false, description: "Stop the run at the first violation." }),
    },
    { default: {}, description: "Invariant checking." },
  ),
});
