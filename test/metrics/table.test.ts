// Tables and summaries as bytes: cells formatted deterministically (integers as they are, floats to 12
// significant digits, NaN and infinities by name, bigints exactly), CSV with unix line ends and
// quoting, stable JSON with sorted keys, and the summary statistics.

import { describe, expect, it } from "vitest";
import { formatCell, mean, quantiles, round, stableJson, tableToCsv } from "../../src/metrics/index.js";

describe("cells and CSV", () => {
  it("formats every kind of cell", () => {
    expect([0, -3, 2 ** 53, 0.1 + 0.2, 1 / 3, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map(formatCell)).toEqual([
      "0",
      "-3",
      "9007199254740992",
      "0.3",
      "0.333333333333",
      "NaN",
      "Inf",
      "-Inf",
    ]);
    expect([null, true, "x", 123456789012345678901234567890n].map(formatCell)).toEqual(["", "true", "x", "123456789012345678901234567890"]);
  });

  it("writes a header, unix line ends and quotes what needs quoting", () => {
    const csv = tableToCsv({ name: "t", columns: ["a", "b"], rows: [["x,y", 1.5], ['say "hi"', null]] });
    expect(csv).toBe('a,b\n"x,y",1.5\n"say ""hi""",\n');
  });

  it("rounds summaries to 12 significant digits and leaves non-finite values alone", () => {
    expect(round(0.1 + 0.2)).toBe(0.3);
    expect(round(123.456789, 4)).toBe(123.5);
    expect(round(Number.NaN)).toBeNaN();
  });
});

describe("stable JSON and statistics", () => {
  it("sorts keys at every depth, drops undefined, spells out bigints, ends with a newline", () => {
    expect(stableJson({ b: 1, a: { d: [2n, { z: 1, y: undefined }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      "2",\n      {\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it("quantiles interpolate on a sorted copy (input untouched); empty input gives NaN", () => {
    const xs = [5, 1, 4, 2, 3];
    expect(quantiles(xs, [0, 0.5, 0.95, 1])).toEqual([1, 3, 4.8, 5]);
    expect(xs).toEqual([5, 1, 4, 2, 3]);
    expect(quantiles([], [0.5])[0]).toBeNaN();
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([])).toBeNaN();
  });
});
