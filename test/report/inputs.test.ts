import { describe, expect, it } from "vitest";
import { parseCsv, parseCsvRecords } from "../../src/report/csv.js";
import { lorenz, thin } from "../../src/report/lorenz.js";
import { allNumeric, bool, num, weiToStos } from "../../src/report/values.js";

describe("parseCsv", () => {
  it("reads a header and keyed rows", () => {
    const t = parseCsv("a,b\n1,2\n3,4\n");
    expect(t.columns).toEqual(["a", "b"]);
    expect(t.rows).toEqual([
      { a: "1", b: "2" },
      { a: "3", b: "4" },
    ]);
  });

  it("handles quotes, escaped quotes, embedded commas/newlines, CRLF and blank lines", () => {
    const recs = parseCsvRecords('x,y\r\n"a, b","say ""hi"""\r\n\r\n"multi\nline",\r\nlast,1');
    expect(recs).toEqual([
      ["x", "y"],
      ["a, b", 'say "hi"'],
      ["multi\nline", ""],
      ["last", "1"],
    ]);
  });

  it("fills missing trailing cells with empty strings and ignores a BOM", () => {
    const t = parseCsv("\uFEFFa,b,c\n1\n");
    expect(t.columns).toEqual(["a", "b", "c"]);
    expect(t.rows).toEqual([{ a: "1", b: "", c: "" }]);
  });

  it("gives no rows for an empty or header-only file", () => {
    expect(parseCsv("")).toEqual({ columns: [], rows: [] });
    expect(parseCsv("a,b\n").rows).toEqual([]);
  });
});

describe("cell values", () => {
  it("parses numbers, mapping blanks and non-finite values to null", () => {
    expect(num("1.5")).toBe(1.5);
    expect(num(" 2 ")).toBe(2);
    expect(num("")).toBeNull();
    expect(num("NaN")).toBeNull();
    expect(num("Inf")).toBeNull();
    expect(num(undefined)).toBeNull();
    expect(bool("true")).toBe(true);
    expect(bool("false")).toBe(false);
    expect(bool("maybe")).toBeNull();
    expect(allNumeric(["1", "0.5", ""])).toBe(true);
    expect(allNumeric(["1", "tcp"])).toBe(false);
    expect(allNumeric([""])).toBe(false);
  });

  it("converts wei strings beyond 2^53 to STOS", () => {
    expect(weiToStos("1000000000000000000")).toBe(1);
    expect(weiToStos("1500000000000000000000")).toBe(1500);
    expect(weiToStos("900000000000987654321")).toBeCloseTo(900.0000000009876, 12);
    expect(weiToStos("-2000000000000000000")).toBe(-2);
    expect(weiToStos("0")).toBe(0);
    expect(weiToStos("2.5e18")).toBe(2.5);
    expect(weiToStos("")).toBeNull();
  });
});

describe("lorenz", () => {
  it("is the diagonal with Gini 0 for equal amounts", () => {
    const l = lorenz([5, 5, 5, 5])!;
    expect(l.gini).toBeCloseTo(0, 12);
    expect(l.points.map((p) => [p.population, p.share])).toEqual([
      [0, 0],
      [0.25, 0.25],
      [0.5, 0.5],
      [0.75, 0.75],
      [1, 1],
    ]);
  });

  it("gives Gini (n-1)/n when one holder has everything", () => {
    expect(lorenz([0, 0, 0, 10])!.gini).toBeCloseTo(0.75, 12);
  });

  it("sorts amounts, ends at (1,1), and is undefined with no positive total", () => {
    const l = lorenz([3, 1, 2])!;
    expect(l.points[1]).toEqual({ population: 1 / 3, share: 1 / 6 });
    expect(l.points.at(-1)).toEqual({ population: 1, share: 1 });
    expect(lorenz([])).toBeUndefined();
    expect(lorenz([0, 0])).toBeUndefined();
  });

  it("thins long curves but keeps both ends", () => {
    const xs = Array.from({ length: 10_000 }, (_, i) => i);
    const t = thin(xs, 101);
    expect(t).toHaveLength(101);
    expect(t[0]).toBe(0);
    expect(t.at(-1)).toBe(9999);
  });
});
