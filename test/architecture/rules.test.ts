// House rules from ARCHITECTURE.md, enforced on the source tree: no wall clock or global
// randomness in simulation code, folder import boundaries, and a header comment per folder.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const src = join(root, "src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const sources = files(src).map((p) => ({ path: relative(src, p).replaceAll("\\", "/"), text: readFileSync(p, "utf8") }));

/** Strips comments so rules apply to code only. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
}

function importsOf(text: string): string[] {
  return [...text.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]!);
}

describe("architecture rules", () => {
  it("no Math.random, Date.now, performance.now or new Date() outside cli/ and sweep/", () => {
    const offenders = sources
      .filter((f) => !f.path.startsWith("cli/") && !f.path.startsWith("sweep/"))
      .filter((f) => /Math\.random|Date\.now|performance\.now|new Date\(/.test(code(f.text)))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  const allowed: Record<string, string[]> = {
    kernel: [],
    net: ["kernel"],
    "protocols/pbft": [],
    "protocols/pot": [],
    traffic: ["kernel"],
    metrics: ["kernel"],
    check: ["protocols/pbft", "protocols/pot", "metrics"],
    scenario: [],
    faults: ["kernel", "net", "protocols/pbft", "protocols/pot"],
    report: ["metrics"],
    tune: ["scenario", "sweep", "world", "metrics", "report", "kernel"],
  };

  for (const [folder, may] of Object.entries(allowed)) {
    it(`${folder}/ imports only ${may.length ? may.join(", ") : "its own files"}`, () => {
      const bad: string[] = [];
      for (const f of sources.filter((s) => s.path.startsWith(`${folder}/`))) {
        for (const spec of importsOf(f.text)) {
          if (!spec.startsWith(".")) continue;
          const target = relative(src, join(src, f.path, "..", spec)).replaceAll("\\", "/");
          const ok = target.startsWith(`${folder}/`) || may.some((m) => target.startsWith(`${m}/`));
          if (!ok) bad.push(`${f.path} -> ${target}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it("every folder has an index.ts whose header says what it owns and may import", () => {
    const folders = [
      "kernel",
      "net",
      "protocols/pbft",
      "protocols/pot",
      "world",
      "faults",
      "traffic",
      "check",
      "metrics",
      "scenario",
      "sweep",
      "tune",
      "report",
      "cli",
    ];
    const missing = folders.filter((d) => {
      const idx = sources.find((s) => s.path === `${d}/index.ts` || (d === "cli" && s.path === "cli/main.ts"));
      const text = idx?.text.replace(/^#!.*\n/, "") ?? "";
      return !idx || !text.startsWith("//") || !/may import/i.test(text);
    });
    expect(missing).toEqual([]);
  });
});
