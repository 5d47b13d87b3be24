// Report building from parallel lists (the world's meta nodes): the same op, tx_data, signature and
// ledger effects as buildVolumeReportOp, and the byte-interleaved sign-bytes digest against the plain one.

import { describe, expect, it } from "vitest";
import {
  buildVolumeReportOp,
  buildVolumeReportOpFromLists,
  createSharedCache,
  prepareReport,
} from "../../../../src/protocols/pot/index.js";
import { ListEncoder } from "../../../../src/protocols/pot/fast/encode.js";
import { encodeLists, listLines, parseListLines, sha256Hex, signBytes } from "../../../../src/protocols/pot/report.js";
import { activeLedger, Lcg, META, META_OWNER } from "../helpers.js";

const header = (epoch: number) => ({ reporter: "m1", reporterOwner: META_OWNER("m1"), epoch, reportReference: `ref-${epoch}` });

describe("reports built from lists", () => {
  it("equal buildVolumeReportOp field by field, including the lazily built walletVolumes", () => {
    const rnd = new Lcg(5);
    for (let t = 0; t < 50; t++) {
      const n = 1 + rnd.int(30);
      const wallets = Array.from({ length: n }, (_, i) => `w${rnd.int(3) === 0 ? rnd.int(n) : i}`);
      const volumes = Float64Array.from({ length: n }, () => (rnd.int(4) === 0 ? rnd.int(3) : Math.floor(rnd.next() * 2 ** 52)));
      const { op, lines } = buildVolumeReportOpFromLists(header(t + 1), wallets, volumes, META, createSharedCache());
      const walletVolumes = wallets.map((wallet, i) => ({ wallet, volume: String(volumes[i]) }));
      const ref = buildVolumeReportOp({ ...header(t + 1), walletVolumes }, META);
      expect(JSON.parse(JSON.stringify(op))).toEqual(JSON.parse(JSON.stringify(ref)));
      expect({ ...op }).toEqual(ref);
      // The payload is exactly the sign bytes after the header, and parses back to the list.
      expect(Buffer.from(lines).toString("latin1")).toBe(signBytes(header(t + 1), wallets, walletVolumes.map((w) => w.volume)).slice(signBytes(header(t + 1), [], []).length));
      expect(parseListLines(lines)).toEqual({ wallets, volumes: walletVolumes.map((w) => w.volume) });
    }
  });

  it("prepares to the same report and ledger state", () => {
    const cache = createSharedCache();
    const a = activeLedger({ shared: cache });
    const b = activeLedger();
    const wallets = ["rw1", "rw2", "rw3", "rw2"];
    const volumes = Float64Array.from([600_000_000, 300_000_000, 100_000_000, 7]);
    const { op } = buildVolumeReportOpFromLists(header(1), wallets, volumes, META, cache);
    const ref = buildVolumeReportOp({ ...header(1), walletVolumes: wallets.map((wallet, i) => ({ wallet, volume: String(volumes[i]) })) }, META);
    expect(prepareReport(op, cache).distinct).toEqual(["rw1", "rw2", "rw3"]);
    expect(a.volumeReport(op)).toEqual(b.volumeReport(ref));
    expect(a.stateDigest()).toBe(b.stateDigest());
    expect(a.lastReport()!.resource).toEqual(b.lastReport()!.resource);
  });

  it("refuses volumes that are not safe non-negative integers", () => {
    for (const bad of [-1, 0.5, 2 ** 53, Number.NaN]) {
      expect(() => buildVolumeReportOpFromLists(header(1), ["w"], Float64Array.from([bad]), META, undefined)).toThrow(RangeError);
    }
  });
});

describe("one-pass list encoding", () => {
  it("equals the list lines and sha256 of the concatenated sign bytes", () => {
    const rnd = new Lcg(9);
    // One encoder for every case: its buffer is reused (and grown) from case to case, as a world's is.
    const encoder = new ListEncoder();
    const edges = [0, 1, 9, 10, 999_999_999, 1e9, 1e9 + 1, 2 ** 31 - 1, 2 ** 31, 8_999_999_999_999_999, Number.MAX_SAFE_INTEGER];
    for (let t = 0; t < 200; t++) {
      const n = 1 + rnd.int(50);
      const wallets = Array.from({ length: n }, () => (rnd.int(10) === 0 ? "" : `stsds1${Math.floor(rnd.next() * 1e9).toString(36)}`));
      const volumes = Array.from({ length: n }, () =>
        rnd.int(4) === 0 ? edges[rnd.int(edges.length)]! : Math.floor(rnd.next() * 2 ** (1 + rnd.int(53))),
      );
      const strings = volumes.map(String);
      const h = header(1 + rnd.int(1000));
      const enc = encodeLists(h, wallets, volumes, encoder)!;
      expect(enc.txData).toBe(sha256Hex(signBytes(h, wallets, strings)));
      expect(enc.lines).toEqual(listLines(wallets, strings));
      expect(Buffer.from(enc.lines).toString("latin1")).toBe(wallets.map((w, i) => `${w}=${strings[i]}\n`).join(""));
    }
  });

  it("declines text that is not ASCII", () => {
    const h = header(1);
    const encoder = new ListEncoder();
    expect(encodeLists(h, ["é"], [1], encoder)).toBeUndefined();
    expect(encodeLists({ ...h, reporter: "ü" }, ["a"], [1], encoder)).toBeUndefined();
    // The builder then takes the string path: same op as buildVolumeReportOp.
    const { op } = buildVolumeReportOpFromLists(h, ["é", "b"], Float64Array.from([3, 4]), META, undefined);
    const ref = buildVolumeReportOp({ ...h, walletVolumes: [{ wallet: "é", volume: "3" }, { wallet: "b", volume: "4" }] }, META);
    expect({ ...op }).toEqual(ref);
  });
});

describe("ledger on a shared cache", () => {
  it("a replica without the cache entry re-parses the op and agrees", () => {
    const cache = createSharedCache();
    const { op } = buildVolumeReportOpFromLists(header(1), ["rw1", "rw2"], Float64Array.from([5, 9]), META, cache);
    const a = activeLedger({ shared: cache });
    const b = activeLedger();
    expect(a.volumeReport(op)).toEqual(b.volumeReport(op));
    expect(a.stateDigest()).toBe(b.stateDigest());
  });
});

describe("list lines", () => {
  it("round-trip any text, and parse garbage without throwing", () => {
    const wallets = ["é", "b", "", "w,x", "\ud83d\ude00"];
    const volumes = ["3", "4", "0", "12", ""];
    expect(parseListLines(listLines(wallets, volumes))).toEqual({ wallets, volumes });
    expect(parseListLines(new Uint8Array(0))).toEqual({ wallets: [], volumes: [] });
    // A line without "=" is a wallet with no volume; text after the last newline is a line too.
    expect(parseListLines(Buffer.from("a=1\nnoeq\nb=2", "utf8"))).toEqual({ wallets: ["a", "noeq", "b"], volumes: ["1", "", "2"] });
  });
});
