// A hand-built gate report for the ci/ unit tests: one clean and one failing seed per suite, with
// checker text that holds every character XML and GitHub's workflow commands treat specially.

import type { GateFailure, GateReport } from "../../src/ci/index.js";
import { tallyCoverage } from "../../src/coverage/index.js";

/** What a checker might write: markup, entities, quotes, line breaks, tabs, control characters, a lone surrogate, `]]>`, `%`, `::`. */
export const HOSTILE = `replica 2 committed <b>&amp; "x" 'y'\n\tthen\r\u0001\u001f\uD800 ]]> 100% :: a,b`;

export function failure(over: Partial<GateFailure> = {}): GateFailure {
  return {
    file: "scenarios/odd & <name>.yaml",
    seed: 7,
    status: "violation",
    error: `1 violation; first: SAF-1 at t=1.5: ${HOSTILE}`,
    invariant: "SAF-1",
    detail: HOSTILE,
    timeSec: 1.5,
    view: 2,
    seq: 9,
    replicas: [0, 2],
    replay: "sim run 'scenarios/odd & <name>.yaml' --seed 7",
    attachments: [],
    ...over,
  };
}

const coverageA = { "view-change": 3, "checkpoint-gc": 0 };
const coverageB = { "view-change": 0, "checkpoint-gc": 5 };

export function report(f: GateFailure | null = failure(), required: GateReport["required"] = []): GateReport {
  const cases = [
    { seed: 6, failure: null, coverage: coverageB, wallSec: 0.25 },
    { seed: 7, failure: f, coverage: coverageA, wallSec: 0.5 },
  ];
  return {
    suites: [
      {
        file: "scenarios/odd & <name>.yaml",
        name: "odd<name>",
        model: "pbft",
        cases,
        coverage: tallyCoverage("pbft", [coverageB, coverageA]),
      },
    ],
    required,
    checkDeterminism: false,
  };
}
