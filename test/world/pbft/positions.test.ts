// LIV-2's positions are one reused list of reused records (PbftWorld.positions: the world polls every
// livenessBound/4 s all run long). A reuse must carry nothing over: after the primary crashes the list
// is one shorter and holds exactly the replicas still up, each with this poll's view, mode and last
// executed sequence number — equal to records built fresh from the replicas.

import { expect, it } from "vitest";
import type { ReplicaPosition } from "../../../src/check/index.js";
import { pbftScenario, pbftWorld } from "./support.js";

it("a reused positions list holds exactly this poll's replicas and values", () => {
  const run = pbftWorld(pbftScenario("test/fixtures/pbft/liv-heal.yaml"), 1);
  const world = run.world;
  const positions = () => (world as unknown as { positions(): readonly ReplicaPosition[] }).positions();
  const fresh = () =>
    world.hosts.replicas
      .filter((h) => h.up && !h.shadow)
      .map((h) => ({ replica: h.replicaId, view: h.replica.view, normal: h.replica.mode === "normal", lastExecuted: h.replica.lastExecuted }));

  run.until(0.9);
  const before = positions();
  expect(before.map((p) => ({ ...p }))).toEqual(fresh());
  expect(before.map((p) => p.replica)).toEqual([0, 1, 2, 3]);
  const executedBefore = before[1]!.lastExecuted;

  run.until(3.5); // replica 0 crashed at 1 s; the others changed view and executed more
  const after = positions();
  expect(after).toBe(before); // the same list, rewritten
  expect(after.map((p) => ({ ...p }))).toEqual(fresh());
  expect(after.map((p) => p.replica)).toEqual([1, 2, 3]);
  expect(after[0]!.lastExecuted).toBeGreaterThan(executedBefore);
  expect(after.every((p) => p.view >= 1)).toBe(true);

  run.until(12); // replica 0 back at 4 s
  expect(positions().map((p) => ({ ...p }))).toEqual(fresh());
  expect(positions().map((p) => p.replica)).toEqual([0, 1, 2, 3]);
});
