// `npm run bench -- points [--scenario F] [--epochs N] [--count K] [--copies C]`: why a sweep on C
// cores gains what it gains. One process runs K points of the scenario one after the other (as one
// sweep worker does: same world code, seeds 1..K) and times each; then C such processes run side by
// side. Printed:
//   first_s        the first point alone: includes the JIT warming the world's code up (V8 compiles
//                  per isolate, so every sweep worker pays this once)
//   warm_s         median of the points after the third, alone
//   warmup_s       what the first three points cost beyond three warm points: the per-worker warm-up
//   warm_side_s    the same median with C copies running at once (memory bandwidth, caches, V8's
//                  helper threads competing)
//   contention     warm_side_s / warm_s
//   model_speedup  a K-point sweep on C workers against 1 worker from these figures alone:
//                  (warmup + K·warm) / (warmup_side + K/C·warm_side) — per-worker warm-up paid once
//                  per worker, points spread evenly, start-up and output writing left out
// The sweep bench measures the real thing; this one splits it into the parts that explain it.

import { spawn } from "node:child_process";
import { loadScenario } from "../src/scenario/index.js";
import { buildWorld } from "../src/world/models.js";
import { epochOverrides } from "./alloc.js";
import { median } from "./sweep.js";

export interface PointsBenchArgs {
  scenario: string;
  epochs?: number;
  count: number;
  copies: number;
}

/** Child mode: runs the points, prints their wall seconds as JSON. */
export function runPointsChild(a: PointsBenchArgs): string {
  const scenario = loadScenario(a.scenario, { overrides: epochOverrides(a.scenario, a.epochs) });
  const walls: number[] = [];
  for (let seed = 1; seed <= a.count; seed++) {
    const t0 = process.hrtime.bigint();
    const world = buildWorld(scenario, seed, {});
    world.sim.run({ until: scenario.until, maxEvents: scenario.maxEvents });
    world.finish();
    walls.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return JSON.stringify(walls);
}

function childArgs(a: PointsBenchArgs): string[] {
  const args = [process.argv[1]!, "points", "--child", "--scenario", a.scenario, "--count", String(a.count)];
  if (a.epochs !== undefined) args.push("--epochs", String(a.epochs));
  return args;
}

function runChildren(a: PointsBenchArgs, copies: number): Promise<number[][]> {
  return Promise.all(
    Array.from(
      { length: copies },
      () =>
        new Promise<number[]>((done, fail) => {
          const child = spawn(process.execPath, childArgs(a), { stdio: ["ignore", "pipe", "pipe"] });
          let out = "";
          let err = "";
          child.stdout.on("data", (d: Buffer) => {
            out += d.toString();
          });
          child.stderr.on("data", (d: Buffer) => {
            err += d.toString();
          });
          child.on("exit", (code) => (code === 0 ? done(JSON.parse(out) as number[]) : fail(new Error(`bench points child exited ${code}: ${err}`))));
        }),
    ),
  );
}

interface Figures {
  first: number;
  warm: number;
  warmup: number;
}

function figures(walls: number[]): Figures {
  const warm = median(walls.slice(3));
  return { first: walls[0]!, warm, warmup: walls[0]! + walls[1]! + walls[2]! - 3 * warm };
}

export async function runPointsBench(a: PointsBenchArgs): Promise<string> {
  if (a.count < 5) throw new Error("--count must be at least 5 (three warm-up points, then warm ones)");
  const [alone] = await runChildren(a, 1);
  const side = await runChildren(a, a.copies);
  const f = figures(alone!);
  const sides = side.map(figures);
  const warmSide = median(sides.map((s) => s.warm));
  const warmupSide = median(sides.map((s) => s.warmup));
  const k = a.count;
  const model = (f.warmup + k * f.warm) / (warmupSide + (k / a.copies) * warmSide);
  const r = (x: number) => x.toFixed(3);
  return (
    `points scenario=${a.scenario} epochs=${a.epochs ?? "scenario"} count=${k} copies=${a.copies} ` +
    `first_s=${r(f.first)} warm_s=${r(f.warm)} warmup_s=${r(f.warmup)} warm_side_s=${r(warmSide)} warmup_side_s=${r(warmupSide)} ` +
    `contention=${(warmSide / f.warm).toFixed(2)} model_speedup=${model.toFixed(2)}`
  );
}
