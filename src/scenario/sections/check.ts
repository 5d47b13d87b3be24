// Section `check`: what the continuous checkers enforce in a run (liveness bound and the time
// after which it applies), and whether a run stops at the first violation.
// May import: ../limits.js, ../schema.js, ../section.js.

import { MAX_TIME_S, MIN_INTERVAL_S } from "../limits.js";
import { bool, num, obj, optional } from "../schema.js";
import { defineSection } from "../section.js";

export const check = defineSection({
  schema: obj(
    {
      stabilization: optional(
        num({ min: 0, max: MAX_TIME_S, description: "LIV-1 applies after this time (s); default: after the last scheduled fault." }),
      ),
      livenessBound: num({
        min: MIN_INTERVAL_S,
        max: MAX_TIME_S,
        default: 30,
        description: "Every correct client's request must complete within this many seconds after stabilisation.",
      }),
      liveness: bool({ default: true, description: "Check LIV-1 at all (off for scenarios that expect to stall)." }),
      stopOnViolation: bool({ default: false, description: "Stop the run at the first violation." }),
    },
    { default: {}, description: "Invariant checking." },
  ),
});
