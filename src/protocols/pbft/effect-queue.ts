// The effects a state machine (replica or client) produced since its host last took them, kept in
// reused batches: a host that applies effects at once takes the current batch (new effects, even ones
// produced while it applies these — a PoT client submits its next report when one is accepted — go to
// another batch), reads its first `count` entries and gives it back, emptied, for reuse. So no array
// is allocated per step (a replica steps about once per delivered message), and no object per effect:
// a batch keeps an effect's fields in columns (kind, target, reference, delay), written by the typed
// push methods (send, broadcast, reply, setTimer, cancelTimer, observe). effect(i) and drain() give the
// classic Effect objects (tests, tools). Same effects, same order either way (test/protocols/pbft/
// effect-queue.test.ts; the worlds' outputs are byte-identical).
// May import: ./messages (types).

import type { ClientEffect, Effect } from "./messages.js";

type AnyEffect = Effect | ClientEffect;
type MsgOf<E extends AnyEffect> = Extract<E, { kind: "send" | "broadcast" | "reply" }>["msg"];
type TimerOf<E extends AnyEffect> = Extract<E, { kind: "setTimer" }>["timer"];
type EventOf<E extends AnyEffect> = Extract<E, { kind: "observe" }>["event"];
type SendMsgOf<E extends AnyEffect> = Extract<E, { kind: "send" }>["msg"];
type ReplyMsgOf<E extends AnyEffect> = Extract<E, { kind: "reply" }>["msg"];

/** Effects taken together: entries 0 … count − 1 of the columns (later entries are stale or empty). */
export class EffectBatch<E extends AnyEffect> {
  /** Kind of each effect. */
  readonly kinds: E["kind"][] = [];
  /** send: the destination replica; reply: the client; other kinds: 0. */
  readonly targets: number[] = [];
  /** send, broadcast, reply: the message; setTimer, cancelTimer: the timer name; observe: the event. */
  readonly refs: unknown[] = [];
  /** setTimer: the delay in seconds; other kinds: 0. */
  readonly delays: number[] = [];
  count = 0;

  /** The message of send / broadcast / reply effect i. */
  msg(i: number): MsgOf<E> {
    return this.refs[i] as MsgOf<E>;
  }

  /** The timer of setTimer / cancelTimer effect i. */
  timer(i: number): TimerOf<E> {
    return this.refs[i] as TimerOf<E>;
  }

  /** The observation of observe effect i. */
  event(i: number): EventOf<E> {
    return this.refs[i] as EventOf<E>;
  }

  /** Effect i as an object, shaped as the Effect / ClientEffect type declares it. */
  effect(i: number): E {
    const kind = this.kinds[i]!;
    const ref = this.refs[i];
    switch (kind) {
      case "send":
        return { kind, to: this.targets[i]!, msg: ref } as E;
      case "broadcast":
        return { kind, msg: ref } as E;
      case "reply":
        return { kind, client: this.targets[i]!, msg: ref } as E;
      case "setTimer":
        return { kind, timer: ref, delay: this.delays[i]! } as E;
      case "cancelTimer":
        return { kind, timer: ref } as E;
      default:
        return { kind, event: ref } as E;
    }
  }
}

export class EffectQueue<E extends AnyEffect = Effect> {
  private current = new EffectBatch<E>();
  /** An emptied batch for the next take (null while one is out and not yet released). */
  private spare: EffectBatch<E> | null = new EffectBatch<E>();

  /** Effects produced and not yet taken. */
  get count(): number {
    return this.current.count;
  }

  private add(kind: E["kind"], target: number, ref: unknown, delay: number): void {
    const b = this.current;
    const i = b.count++;
    b.kinds[i] = kind;
    b.targets[i] = target;
    b.refs[i] = ref;
    b.delays[i] = delay;
  }

  send(to: number, msg: SendMsgOf<E>): void {
    this.add("send", to, msg, 0);
  }

  broadcast(msg: SendMsgOf<E>): void {
    this.add("broadcast", 0, msg, 0);
  }

  reply(client: number, msg: ReplyMsgOf<E>): void {
    this.add("reply", client, msg, 0);
  }

  setTimer(timer: TimerOf<E>, delay: number): void {
    this.add("setTimer", 0, timer, delay);
  }

  cancelTimer(timer: TimerOf<E>): void {
    this.add("cancelTimer", 0, timer, 0);
  }

  observe(event: EventOf<E>): void {
    this.add("observe", 0, event, 0);
  }

  /** Any effect given as an object (the typed methods above take its fields without one). */
  push(e: E): void {
    const f = e as { kind: E["kind"]; to?: number; client?: number; msg?: unknown; timer?: unknown; delay?: number; event?: unknown };
    switch (f.kind) {
      case "send":
        this.add(f.kind, f.to!, f.msg, 0);
        break;
      case "reply":
        this.add(f.kind, f.client!, f.msg, 0);
        break;
      case "broadcast":
        this.add(f.kind, 0, f.msg, 0);
        break;
      case "setTimer":
        this.add(f.kind, 0, f.timer, f.delay!);
        break;
      case "cancelTimer":
        this.add(f.kind, 0, f.timer, 0);
        break;
      default:
        this.add(f.kind, 0, f.event, 0);
    }
  }

  /** The effects produced so far; later ones go to another batch. Give the batch back with release(). */
  take(): EffectBatch<E> {
    const b = this.current;
    this.current = this.spare ?? new EffectBatch<E>();
    this.spare = null;
    return b;
  }

  /** Empties a taken batch (no effect or message stays referenced) and keeps it for reuse. */
  release(b: EffectBatch<E>): void {
    for (let i = 0; i < b.count; i++) b.refs[i] = undefined;
    b.count = 0;
    if (this.spare === null && b !== this.current) this.spare = b;
  }

  /** The effects not yet taken, as a fresh array of objects. */
  drain(): E[] {
    const b = this.take();
    const out: E[] = [];
    for (let i = 0; i < b.count; i++) out.push(b.effect(i));
    this.release(b);
    return out;
  }
}
