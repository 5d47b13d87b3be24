// sweep/version: the potsim version recorded in sweep manifests and the package root (for the
// compiled worker), found by walking up from this file to potsim's package.json — works both
// from dist/src/sweep (compiled) and src/sweep (tests).
// May import: scenario, world, metrics, report, kernel.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(): { root: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = join(dir, "package.json");
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "potsim") return { root: dir, version: pkg.version ?? "0.0.0" };
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find potsim's package.json");
    dir = up;
  }
}

const found = findRoot();
export const packageRoot: string = found.root;
export const potsimVersion: string = found.version;
