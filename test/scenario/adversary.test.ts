// The adversary language in scenario files: network rules on protocol fields (view, seq, digest, a
// client's request, occurrences) with hold and redirect actions, scripted Byzantine replicas, message
// mutation, twins schedules, the Twins search and client strategies — resolved values and errors that
// name file, line, column and key.

import { describe, expect, it } from "vitest";
import { parseScenarioText, resolveScenario } from "../../src/scenario/index.js";
import { errorLines } from "./helpers.js";

const F = "a.yaml";
const resolve = (text: string) => resolveScenario(parseScenarioText(text, F));
const bad = (text: string) => errorLines(() => resolve(text));
const pbft = (extra = "") => `model: pbft\npbft:\n  n: 4\n  clients: {count: 2}\n${extra}`;

describe("network rules on protocol fields", () => {
  it("resolves view, seq, digest, client, timestamp, occurrence, hold and redirect as written (absent fields stay absent)", () => {
    const s = resolve(
      `${pbft()}network:\n  rules:\n` +
        "    - {action: drop, kind: pre-prepare, view: 0, seq: [1, 2], occurrence: 2}\n" +
        "    - {action: hold, kind: view-change, seq: {min: 3}, until: {event: viewEntered, view: 1, replica: 1}}\n" +
        "    - {action: hold, client: 1, timestamp: 2, until: 4}\n" +
        "    - {action: redirect, digest: abc, to: 3, deliverTo: [1, 2]}\n" +
        "    - {action: drop, kind: reply}\n",
    );
    expect(s.network.rules).toEqual([
      { action: "drop", kind: "pre-prepare", view: 0, seq: [1, 2], occurrence: 2, start: 0, probability: 1 },
      { action: "hold", kind: "view-change", seq: { min: 3 }, until: { event: "viewEntered", view: 1, replica: 1, count: 1 }, start: 0, probability: 1 },
      { action: "hold", client: 1, timestamp: 2, until: 4, start: 0, probability: 1 },
      { action: "redirect", digest: "abc", to: 3, deliverTo: [1, 2], start: 0, probability: 1 },
      { action: "drop", kind: "reply", start: 0, probability: 1 },
    ]);
  });

  it("errors name file:line:col and key", () => {
    expect(
      bad(
        `${pbft()}network:\n  rules:\n` +
          "    - {action: drop, timestamp: 2}\n" +
          "    - {action: drop, seq: {min: 5, max: 2}}\n" +
          "    - {action: drop, view: -1}\n" +
          "    - {action: drop, occurrence: 0}\n" +
          "    - {action: hold, until: {event: elected}}\n",
      ),
    ).toEqual([
      'a.yaml:7:33 network.rules[0].timestamp: needs "client" (the request of which client)',
      "a.yaml:8:41 network.rules[1].seq.max: must be >= min (5), got 2",
      "a.yaml:9:28 network.rules[2].view: must be >= 0, got -1",
      "a.yaml:10:34 network.rules[3].occurrence: must be >= 1, got 0",
      'a.yaml:11:37 network.rules[4].until.event: must be one of "received", "sent", "viewEntered", "executed", got "elected" (did you mean "executed"?)',
    ]);
    // ids are checked against the scenario once every section is well formed
    expect(
      bad(
        `${pbft()}network:\n  rules:\n` +
          "    - {action: hold, until: {event: viewEntered, view: 1, replica: 9}}\n" +
          "    - {action: redirect, deliverTo: [1, 99]}\n" +
          "    - {action: drop, client: 7}\n",
      ),
    ).toEqual([
      "a.yaml:7:68 network.rules[0].until.replica: replica 9 does not exist (pbft.n is 4)",
      "a.yaml:8:41 network.rules[1].deliverTo[1]: node 99 does not exist (pbft.n + pbft.clients.count is 6, so ids are 0..5)",
      "a.yaml:9:30 network.rules[2].client: client 7 does not exist (pbft.clients.count is 2)",
    ]);
  });
});

describe("faults of the adversary language", () => {
  it("a script resolves with defaults (copies 1, prepared [], event count 1)", () => {
    const s = resolve(
      pbft(
        "  faults:\n    - type: script\n      replica: 0\n      suppress: [pre-prepare]\n      steps:\n" +
          "        - on: {event: received, kind: request, client: 0}\n" +
          "          send:\n            - {type: pre-prepare, view: 0, seq: 1, request: {client: 0, timestamp: 1}, to: [2, 3]}\n" +
          "            - {type: view-change, view: 1}\n",
      ),
    );
    expect(s.pbft!.faults[0]).toEqual({
      type: "script",
      replica: 0,
      at: 0,
      suppress: ["pre-prepare"],
      steps: [
        {
          on: { event: "received", kind: "request", client: 0, count: 1 },
          send: [
            { type: "pre-prepare", view: 0, seq: 1, request: { client: 0, timestamp: 1 }, to: [2, 3], copies: 1 },
            { type: "view-change", view: 1, prepared: [], copies: 1 },
          ],
        },
      ],
    });
  });

  it("script errors: a step needs a time or an event, one digest choice, certificates below the view, existing replicas and clients", () => {
    expect(
      bad(
        pbft(
          "  faults:\n    - type: script\n      replica: 0\n      steps:\n" +
            "        - send: [{type: checkpoint, seq: 2}]\n" +
            "        - at: 1\n          send:\n" +
            "            - {type: prepare, view: 0, seq: 1}\n" +
            "            - {type: view-change, view: 1, prepared: [{seq: 1, view: 1, digest: x}]}\n",
        ),
      ),
    ).toEqual([
      'a.yaml:9:11 pbft.faults[0].steps[0]: needs "at" or "on"',
      'a.yaml:12:15 pbft.faults[0].steps[1].send[0]: give exactly one of "request", "requests" or "digest"',
      "a.yaml:13:70 pbft.faults[0].steps[1].send[1].prepared[0].view: must be below the VIEW-CHANGE's view (1), got 1",
    ]);
    expect(
      bad(pbft("  faults:\n    - type: script\n      replica: 0\n      steps:\n        - at: 1\n          send:\n            - {type: pre-prepare, view: 0, seq: 1, request: {client: 5, timestamp: 1}, to: [7]}\n")),
    ).toEqual([
      "a.yaml:11:70 pbft.faults[0].steps[0].send[0].request.client: client 5 does not exist (pbft.clients.count is 2)",
      "a.yaml:11:93 pbft.faults[0].steps[0].send[0].to[0]: replica 7 does not exist (pbft.n is 4)",
    ]);
  });

  it("mutate defaults to every mutation at probability 0.2; crash may wait for an event", () => {
    const s = resolve(pbft("  faults:\n    - {type: mutate, replica: 1}\n    - {type: crash, replica: 2, on: {event: executed, seq: 3}}\n"));
    expect(s.pbft!.faults).toEqual([
      { type: "mutate", replica: 1, at: 0, probability: 0.2, mutations: ["view", "seq", "replay", "digest"] },
      { type: "crash", replica: 2, at: 0, on: { event: "executed", seq: 3, count: 1 } },
    ]);
  });

  it("twins: sides or a schedule; phases all by view or all by time, ascending, disjoint, naming twinned copies only", () => {
    const ok = resolve(pbft("  faults:\n    - type: twins\n      replicas: [0]\n      schedule:\n        - {view: 0, groups: [[0, 1], [\"0'\", 2]]}\n        - {view: 2, groups: []}\n"));
    expect(ok.pbft!.faults[0]).toEqual({ type: "twins", at: 0, replicas: [0], schedule: [{ view: 0, groups: [[0, 1], ["0'", 2]] }, { view: 2, groups: [] }] });
    expect(bad(pbft("  faults:\n    - type: twins\n      replicas: [0]\n      schedule:\n        - {view: 0, groups: [[\"x\"]]}\n"))).toEqual([
      "a.yaml:9:31 pbft.faults[0].schedule[0].groups[0][0]: must be a replica id followed by ' (the second copy of a twinned replica), e.g. \"0'\", got \"x\"",
    ]);
    expect(
      bad(
        pbft(
          "  faults:\n    - type: twins\n      replicas: [0]\n      schedule:\n" +
            "        - {view: 1, groups: [[0, 1], [1, \"2'\"]]}\n" +
            "        - {at: 3, groups: []}\n" +
            "        - {view: 0, groups: []}\n",
        ),
      ),
    ).toEqual([
      "a.yaml:9:39 pbft.faults[0].schedule[0].groups[1][0]: node 1 is in two groups",
      "a.yaml:9:42 pbft.faults[0].schedule[0].groups[1][1]: \"2'\": replica 2 is not twinned (replicas: 0)",
      "a.yaml:10:11 pbft.faults[0].schedule[1]: every phase must use the same key (all view or all at)",
    ]);
    expect(bad(pbft("  faults:\n    - {type: twins, replicas: [0]}\n"))).toEqual([
      'a.yaml:6:7 pbft.faults[0]: give either "sides" (with "clientSides") or "schedule"',
    ]);
  });

  it("twinsSearch, leaders and client strategies", () => {
    const s = resolve("model: pbft\npbft:\n  n: 4\n  twinsSearch: {replicas: [0]}\n  leaders: [1, 1, 2]\n  clients: {count: 2, strategy: [primary, broadcast]}\n");
    expect(s.pbft!.twinsSearch).toEqual({ replicas: [0], views: 10, maxGroups: 3, viewLength: 0.5 });
    expect(s.pbft!.leaders).toEqual([1, 1, 2]);
    expect(s.pbft!.clients.strategy).toEqual(["primary", "broadcast"]);
    expect(resolve(pbft()).pbft!.clients.strategy).toBeUndefined();
    expect(bad(pbft("  twinsSearch: {replicas: [0], maxGroups: 4}\n"))).toEqual(["a.yaml:5:43 pbft.twinsSearch.maxGroups: must be <= 3, got 4"]);
    expect(bad(pbft("  twinsSearch: {replicas: [0, 0]}\n  leaders: [4]\n"))).toEqual([
      "a.yaml:5:27 pbft.twinsSearch.replicas: lists a replica twice",
      "a.yaml:6:13 pbft.leaders[0]: replica 4 does not exist (pbft.n is 4)",
    ]);
  });
});
