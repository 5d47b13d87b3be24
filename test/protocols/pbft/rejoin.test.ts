// The rules that bring a cut-off replica back into its group (pbft.md §8.6 R-T1, §8.3 R-V1, §10.1 and
// R-K7), driven by hand on single replicas: a replica that is behind does not suspect the primary
// before it has caught up, asks where the group is when it installs a view it never asked for,
// follows a primary that gives up its own view, and a replica whose peer lags pushes it the stable
// checkpoint's proof until that peer is heard at or beyond it.

import { describe, expect, it } from "vitest";
import {
  DigestMemo,
  type Effect,
  KvApplication,
  makeConfig,
  type NewView,
  Replica,
  type ViewChange,
} from "../../../src/protocols/pbft/index.js";
import { ckpt, com, commitAt, feed, observations, pp, prep, req } from "./util.js";

const N = 4;

function backup(id = 1, config: Parameters<typeof makeConfig>[0] = { n: N }): Replica {
  return new Replica(id, makeConfig(config), new KvApplication(), new DigestMemo());
}

function vcFor(view: number, replica: number): ViewChange {
  return { type: "view-change", view, replica, stableSeq: 0, stableDigest: "", proof: [], prepared: [] };
}

const startedVC = (effects: Effect[]) => observations(effects).filter((o) => o.type === "viewChangeStarted");
const statusBroadcast = (effects: Effect[]) => effects.some((e) => e.kind === "broadcast" && e.msg.type === "status");
const armed = (effects: Effect[], timer: string) => effects.some((e) => e.kind === "setTimer" && e.timer === timer);

/** A client request at backup 1, then the primary's PRE-PREPARE and PREPAREs of 2 and 3: prepared, no COMMITs. */
function preparedWithoutCommits(r: Replica) {
  const q = req(0, 1);
  r.receiveRequest(0, { type: "request", request: q }, 0);
  r.drainEffects();
  const p = pp(0, 1, [q]);
  feed(r, 0, p, 0.01);
  feed(r, 2, prep(0, 1, p.digest, 2), 0.02);
  feed(r, 3, prep(0, 1, p.digest, 3), 0.02);
  expect(r.slotInfo(1)!.prepared).toBe(true);
  return p;
}

describe("R-T1: no suspicion while the replica is behind the group", () => {
  it("a prepared slot without its COMMITs: the first expiry asks for them (STATUS), the second suspects", () => {
    const r = backup();
    preparedWithoutCommits(r);
    r.timeout("request", 1);
    const first = r.drainEffects();
    expect(startedVC(first)).toEqual([]);
    expect(statusBroadcast(first)).toBe(true);
    expect(armed(first, "request")).toBe(true);
    expect([r.view, r.mode]).toEqual([0, "normal"]);
    r.timeout("request", 2);
    expect(startedVC(r.drainEffects())).toEqual([{ type: "viewChangeStarted", view: 1 }]);
  });

  it("asks once more halfway through the deferral if nothing executed (the first STATUS or its answers may be lost)", () => {
    const r = backup(); // requestTimeout 1 s, statusInterval 4 s
    preparedWithoutCommits(r);
    r.timeout("request", 1);
    const first = r.drainEffects();
    expect(first.filter((e) => e.kind === "setTimer" && e.timer === "status")).toEqual([expect.objectContaining({ delay: 0.5 })]);
    r.timeout("status", 1.5);
    expect(statusBroadcast(r.drainEffects())).toBe(true);
    r.timeout("request", 2);
    expect(startedVC(r.drainEffects())).toEqual([{ type: "viewChangeStarted", view: 1 }]);
  });

  it("the COMMITs fetched meanwhile execute the request: no view change at all", () => {
    const r = backup();
    const p = preparedWithoutCommits(r);
    r.timeout("request", 1);
    r.drainEffects();
    // a peer answers the STATUS with the commit certificate of slot 1
    feed(r, 2, { type: "commit-certs", replica: 2, certs: [{ seq: 1, view: 0, digest: p.digest, requests: p.requests!, commits: [0, 2, 3] }] }, 1.05);
    expect(r.lastExecuted).toBe(1);
    expect(r.pendingRequestCount).toBe(0);
    r.timeout("request", 2); // stale: nothing left to wait for
    expect(startedVC(r.drainEffects())).toEqual([]);
  });

  it("the request and new-view timers share one deferral: the one expiring inside it waits too, the next expiry suspects", () => {
    // Backup 2 suspects view 0 with two requests pending; view 1's ordering messages arrive before its
    // NEW-VIEW: slot 1 committed, slot 2 prepared. Installing the NEW-VIEW executes slot 1 (the request
    // timer is armed for the second request) and arms the new-view timer: both expire at 2.
    const r = backup(2);
    const [q1, q2] = [req(0, 1), req(1, 1)];
    for (const q of [q1, q2]) r.receiveRequest(q.client, { type: "request", request: q }, 0);
    r.suspectPrimary(0.5);
    r.drainEffects();
    const [p1, p2] = [pp(1, 1, [q1], 1), pp(1, 2, [q2], 1)];
    for (const p of [p1, p2]) {
      feed(r, 1, p, 0.6);
      for (const j of [0, 3]) feed(r, j, prep(1, p.seq, p.digest, j), 0.6);
    }
    for (const j of [0, 1, 3]) feed(r, j, com(1, 1, p1.digest, j), 0.6);
    const nv: NewView = { type: "new-view", view: 1, replica: 1, viewChanges: [0, 1, 3].map((j) => vcFor(1, j)), minS: 0, maxS: 0, prePrepares: [] };
    const installed = feed(r, 1, nv, 1);
    expect([r.view, r.mode, r.lastExecuted, r.slotInfo(2)!.prepared]).toEqual([1, "normal", 1, true]);
    expect(armed(installed, "request") && armed(installed, "newView")).toBe(true);
    r.timeout("request", 2);
    const first = r.drainEffects();
    expect(statusBroadcast(first)).toBe(true);
    r.timeout("newView", 2); // used to suspect here, before any answer to the STATUS could arrive
    const second = r.drainEffects();
    expect(startedVC(second)).toEqual([]);
    expect(armed(second, "newView")).toBe(true);
    expect([r.view, r.mode]).toEqual([1, "normal"]);
    r.timeout("request", 3);
    expect(startedVC(r.drainEffects())).toEqual([{ type: "viewChangeStarted", view: 2 }]);
  });

  it("a stable checkpoint above lastExec: every expiry fetches the state instead of suspecting", () => {
    const r = backup();
    preparedWithoutCommits(r);
    for (const j of [0, 2, 3]) feed(r, j, ckpt(10, "d10", j), 0.5);
    for (const t of [1, 2, 3]) {
      r.timeout("request", t);
      const e = r.drainEffects();
      expect(startedVC(e)).toEqual([]);
      expect(armed(e, "request")).toBe(true);
    }
    expect(r.stateTransferInProgress).toBe(true);
  });

  it("f + 1 replicas working above its window: it keeps asking, and does not suspect", () => {
    const r = backup(1, { n: N, checkpointInterval: 2, logWindow: 4 });
    const q = req(0, 1);
    r.receiveRequest(0, { type: "request", request: q }, 0);
    r.drainEffects();
    feed(r, 2, prep(0, 9, "far", 2), 0.1);
    feed(r, 3, prep(0, 9, "far", 3), 0.1);
    for (const t of [1, 2, 3]) {
      r.timeout("request", t);
      const e = r.drainEffects();
      expect(startedVC(e)).toEqual([]);
      expect(statusBroadcast(e)).toBe(true);
    }
  });

  it("one liar above the window or one COMMIT is not enough: the timer suspects at once", () => {
    const r = backup(1, { n: N, checkpointInterval: 2, logWindow: 4 });
    const q = req(0, 1);
    r.receiveRequest(0, { type: "request", request: q }, 0);
    r.drainEffects();
    feed(r, 3, prep(0, 9, "far", 3), 0.1);
    r.timeout("request", 1);
    expect(startedVC(r.drainEffects())).toEqual([{ type: "viewChangeStarted", view: 1 }]);
  });
});

describe("§10.1: a replica that installs a view it never asked for asks where the group is", () => {
  function newView(view: number, from: number[]): NewView {
    return { type: "new-view", view, replica: view % N, viewChanges: from.map((j) => vcFor(view, j)), minS: 0, maxS: 0, prePrepares: [] };
  }

  it("NEW-VIEW(2) reaching a replica still in view 0: installed, then a STATUS", () => {
    const r = backup(1);
    const e = feed(r, 2, newView(2, [0, 2, 3]), 1);
    expect(observations(e)).toContainEqual(expect.objectContaining({ type: "newViewInstalled", view: 2 }));
    expect(statusBroadcast(e)).toBe(true);
  });

  it("NEW-VIEW for the view it asked for: no STATUS", () => {
    const r = backup(2);
    r.suspectPrimary(0.5);
    r.drainEffects();
    const e = feed(r, 1, newView(1, [0, 1, 2]), 1);
    expect(observations(e)).toContainEqual(expect.objectContaining({ type: "newViewInstalled", view: 1 }));
    expect(statusBroadcast(e)).toBe(false);
  });
});

describe("R-V1: a backup follows a primary that gives up its own view", () => {
  it("VIEW-CHANGE(1) from the primary of view 0: the backup moves to view 1 at once", () => {
    const r = backup(2);
    expect(startedVC(feed(r, 0, vcFor(1, 0), 1))).toEqual([{ type: "viewChangeStarted", view: 1 }]);
  });

  it("the primary asking for view 5 moves the backup only to view 1", () => {
    const r = backup(2);
    expect(startedVC(feed(r, 0, vcFor(5, 0), 1))).toEqual([{ type: "viewChangeStarted", view: 1 }]);
    expect(r.view).toBe(1);
  });

  it("another backup's VIEW-CHANGE moves nothing (S13)", () => {
    const r = backup(2);
    expect(startedVC(feed(r, 3, vcFor(1, 3), 1))).toEqual([]);
    expect([r.view, r.mode]).toEqual([0, "normal"]);
  });

  it("with a leader schedule (Twins), the scheduled primary is followed and replica view % n is not", () => {
    // leaders [3, 1]: replica 3 leads view 0. Replica 0 (0 % 4) is a plain backup here.
    const config = { n: N, leaders: [3, 1] };
    const r = backup(2, config);
    expect(startedVC(feed(r, 0, vcFor(1, 0), 1))).toEqual([]);
    expect([r.view, r.mode]).toEqual([0, "normal"]);
    const s = backup(2, config);
    expect(startedVC(feed(s, 3, vcFor(1, 3), 1))).toEqual([{ type: "viewChangeStarted", view: 1 }]);
  });
});

describe("R-K7: the stable checkpoint is pushed to a lagging peer", () => {
  /** Replica 1 executes 1..20 (K = 10); CHECKPOINTs come from 0 and 2 only, never from 3. */
  function withSilentPeer(): { r: Replica; last: Effect[]; digest20: string } {
    const r = backup(1, { n: N, checkpointInterval: 10, statusInterval: 4 });
    let last: Effect[] = [];
    let digest20 = "";
    for (let s = 1; s <= 20; s++) {
      const e = commitAt(r, N, s, [req(0, s)]);
      const ck = observations(e).find((o) => o.type === "checkpoint");
      if (ck?.type === "checkpoint") for (const j of [0, 2]) last = feed(r, j, ckpt(s, ck.stateDigest, j), s);
      if (ck?.type === "checkpoint" && s === 20) digest20 = ck.stateDigest;
    }
    expect(r.stableCheckpoint.seq).toBe(20);
    return { r, last, digest20 };
  }

  it("peer 3, not heard at checkpoint 10, gets STABLE-PROOF(20) after 4 s, then after gaps of 4, 8, 16, 16 s (capped at 4 status intervals)", () => {
    const { r, last } = withSilentPeer();
    const pushes: number[] = [];
    let now = 20;
    let delay = last.find((e) => e.kind === "setTimer" && e.timer === "laggard");
    expect(delay).toMatchObject({ delay: 4 });
    for (let k = 0; k < 4; k++) {
      now += (delay as { delay: number }).delay;
      r.timeout("laggard", now);
      const e = r.drainEffects();
      for (const x of e) if (x.kind === "send" && x.msg.type === "stable-proof") pushes.push(x.to);
      delay = e.find((x) => x.kind === "setTimer" && x.timer === "laggard");
      expect(delay).toMatchObject({ delay: [4, 8, 16, 16][k] });
    }
    expect(pushes).toEqual([3, 3, 3, 3]);
  });

  it("stops once the peer is heard at the checkpoint (its CHECKPOINT or its STATUS)", () => {
    const { r } = withSilentPeer();
    feed(r, 3, { type: "status", replica: 3, view: 0, viewChanging: false, h: 20, lastExec: 20 }, 21);
    r.timeout("laggard", 24);
    const e = r.drainEffects();
    expect(e.filter((x) => x.kind === "send")).toEqual([]);
    expect(armed(e, "laggard")).toBe(false);
  });

  // What the peer says about itself also counts: a replica that caught up from its peers by a STABLE-PROOF
  // or a STATE, with their CHECKPOINTs long gone, used to push to them for ever.
  const heardBy: Array<[string, (digest20: string) => Parameters<Replica["step"]>[1]]> = [
    ["its STABLE-PROOF", (d) => ({ type: "stable-proof", replica: 3, seq: 20, digest: d, proof: [0, 2, 3].map((j) => ckpt(20, d, j)) })],
    ["its STATE", (d) => ({ type: "state", replica: 3, seq: 20, digest: d, snapshot: null, snapshotSize: 0, clientTable: [], proof: [] })],
    [
      "its VIEW-CHANGE",
      (d) => ({ type: "view-change", view: 1, replica: 3, stableSeq: 20, stableDigest: d, proof: [0, 2, 3].map((j) => ckpt(20, d, j)), prepared: [] }),
    ],
    ["its COMMIT-CERTS", () => ({ type: "commit-certs", replica: 3, certs: [{ seq: 20, view: 0, digest: "x", requests: [], commits: [0, 2, 3] }] })],
  ];
  for (const [what, msg] of heardBy) {
    it(`stops once the peer is heard at the checkpoint by ${what}`, () => {
      const { r, digest20 } = withSilentPeer();
      feed(r, 3, msg(digest20), 21);
      r.timeout("laggard", 24);
      const e = r.drainEffects();
      expect(e.filter((x) => x.kind === "send")).toEqual([]);
      expect(armed(e, "laggard")).toBe(false);
    });
  }

  it("a healthy group arms nothing: every peer voted for the previous checkpoint", () => {
    const r = backup(1, { n: N, checkpointInterval: 10 });
    const timers: string[] = [];
    const note = (effects: Effect[]) => {
      for (const e of effects) if (e.kind === "setTimer") timers.push(e.timer);
    };
    for (let s = 1; s <= 30; s++) {
      const e = commitAt(r, N, s, [req(0, s)]);
      note(e);
      const ck = observations(e).find((o) => o.type === "checkpoint");
      if (ck?.type === "checkpoint") for (const j of [0, 2, 3]) note(feed(r, j, ckpt(s, ck.stateDigest, j), s));
    }
    expect(r.stableCheckpoint.seq).toBe(30);
    expect(timers).not.toContain("laggard");
  });
});
