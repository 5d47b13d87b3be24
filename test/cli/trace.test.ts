// sim run --trace… and sim trace export through the built CLI: exit codes, messages, files.

import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, sim, tempDir } from "./support.js";

const beyondF = join(repoRoot, "scenarios", "beyond-f.yaml");

describe("sim run --trace", () => {
  it("bad trace options exit 2 with a message naming the option, and write nothing", () => {
    const out = join(tempDir(), "run");
    for (const [args, msg] of [
      [["--trace-kinds", "comit"], /--trace-kinds: unknown kind "comit" \(did you mean "commit"\?\)/],
      [["--trace-nodes", "12"], /--trace-nodes: node 12 does not exist/],
      [["--trace-window", "5"], /--trace-window: expected T0\.\.T1/],
      [["--trace", "--trace-max-events", "-3"], /--trace-max-events: expected an integer from 1 to 50000000/],
    ] as const) {
      const r = sim(["run", beyondF, "--out", out, ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(out)).toBe(false);
    }
    const phold = sim(["run", join(repoRoot, "scenarios", "phold.yaml"), "--out", out, "--trace"]);
    expect(phold.code).toBe(2);
    expect(phold.stderr).toMatch(/has no network messages to trace; tracing needs model pbft or pot/);
  });

  it("writes trace.jsonl and trace.html; the limit is reported on stderr; sim report rewrites trace.html", () => {
    const out = join(tempDir(), "run");
    const r = sim(["run", beyondF, "--out", out, "--trace-max-events", "40"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^trace: stopped at the limit of 40 events/m);
    expect(existsSync(join(out, "trace.jsonl"))).toBe(true);
    const html = readFileSync(join(out, "trace.html"), "utf8");
    rmSync(join(out, "trace.html"));
    const rep = sim(["report", out]);
    expect(rep.code).toBe(0);
    expect(readFileSync(join(out, "trace.html"), "utf8")).toBe(html);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain('<a id="trace-link" href="trace.html#event=');
  });
});

describe("sim trace export", () => {
  it("writes trace.perfetto.json and trace.shiviz.log next to the trace (or --out); usage errors exit 2", () => {
    const out = join(tempDir(), "run");
    expect(sim(["run", beyondF, "--out", out, "--trace", "--no-charts"]).code).toBe(1);
    const p = sim(["trace", "export", out, "--format", "perfetto"]);
    expect(p.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "trace.perfetto.json"), "utf8")).traceEvents.length).toBeGreaterThan(100);
    const target = join(tempDir(), "x.log");
    expect(sim(["trace", "export", out, "--format", "shiviz", "--out", target]).code).toBe(0);
    expect(statSync(target).size).toBeGreaterThan(1000);
    const bad = sim(["trace", "export", out, "--format", "svg"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format/);
    const none = sim(["trace", "export", tempDir(), "--format", "perfetto"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no trace\.jsonl or trace\.jsonl\.gz \(run the scenario with --trace\)/);
    expect(sim(["trace", "export", join(out, "nope"), "--format", "perfetto"]).code).toBe(2);
  });

  it("--out replaces only an export (or an empty file) unless --force; never a folder or a symbolic link", () => {
    const out = join(tempDir(), "run");
    expect(sim(["run", beyondF, "--out", out, "--trace", "--no-charts"]).code).toBe(1);
    const dir = tempDir();
    const mine = join(dir, "notes.txt");
    writeFileSync(mine, "a user's own notes\n");
    for (const format of ["perfetto", "shiviz"]) {
      const r = sim(["trace", "export", out, "--format", format, "--out", mine]);
      expect(r.code, format).toBe(2);
      expect(r.stderr).toMatch(/--out .*notes\.txt is a file that sim trace export did not write: choose another path, or pass --force to replace it/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(mine, "utf8")).toBe("a user's own notes\n");
    }
    // its own exports are replaced, in either format, and an empty file is fine
    const p = join(dir, "t.json");
    expect(sim(["trace", "export", out, "--format", "perfetto", "--out", p]).code).toBe(0);
    expect(sim(["trace", "export", out, "--format", "perfetto", "--out", p]).code).toBe(0);
    expect(sim(["trace", "export", out, "--format", "shiviz", "--out", p]).code).toBe(0);
    expect(readFileSync(p, "utf8")).toMatch(/^\(\?<host>/);
    writeFileSync(join(dir, "empty"), "");
    expect(sim(["trace", "export", out, "--format", "perfetto", "--out", join(dir, "empty")]).code).toBe(0);
    // a folder or a symbolic link never; a user's file with --force
    mkdirSync(join(dir, "folder"));
    expect(sim(["trace", "export", out, "--format", "perfetto", "--out", join(dir, "folder")]).code).toBe(2);
    symlinkSync(mine, join(dir, "link"));
    const link = sim(["trace", "export", out, "--format", "perfetto", "--out", join(dir, "link"), "--force"]);
    expect(link.code).toBe(2);
    expect(link.stderr).toMatch(/is a symbolic link/);
    expect(readFileSync(mine, "utf8")).toBe("a user's own notes\n");
    expect(sim(["trace", "export", out, "--format", "perfetto", "--out", mine, "--force"]).code).toBe(0);
    expect(JSON.parse(readFileSync(mine, "utf8")).traceEvents.length).toBeGreaterThan(100);
  });
});
