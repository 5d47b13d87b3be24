// The replica's timers by name: which are armed, and the setTimer / cancelTimer effects that arm and
// cancel them. The host keeps one pending timer per name (a setTimer replaces it, a cancelTimer removes
// it) and calls Replica.timeout(name) when it fires; a firing of a name that is not armed here is stale
// (the replica stopped caring about that timer meanwhile) and is ignored.
// May import: ./messages (types).

import type { TimerName } from "./messages.js";

/** Number of timer names (timerSlot gives 0 … TIMER_COUNT − 1). */
export const TIMER_COUNT = 9;

/**
 * A small index per timer name (the replica's bit, the host's handle slot). A switch rather than a
 * lookup table: the replica calls these with many names from one place, and a keyed lookup there
 * costs several times a switch over interned strings.
 */
export function timerSlot(name: TimerName): number {
  switch (name) {
    case "request":
      return 0;
    case "newView":
      return 1;
    case "viewChangeResend":
      return 2;
    case "batch":
      return 3;
    case "stateTransfer":
      return 4;
    case "fetchBatch":
      return 5;
    case "catchUp":
      return 6;
    case "status":
      return 7;
    case "laggard":
      return 8;
  }
}

function bit(name: TimerName): number {
  return 1 << timerSlot(name);
}

/** Where the timer effects go (the replica's effect list). */
export interface TimerEffects {
  setTimer(timer: TimerName, delay: number): void;
  cancelTimer(timer: TimerName): void;
}

export class TimerSet {
  private armed = 0;

  constructor(private readonly effects: TimerEffects) {}

  isArmed(name: TimerName): boolean {
    return (this.armed & bit(name)) !== 0;
  }

  /** Arms `name` to fire after `delay` seconds, replacing a pending one. */
  arm(name: TimerName, delay: number): void {
    this.armed |= bit(name);
    this.effects.setTimer(name, delay);
  }

  /** Cancels `name` if it is armed (nothing to do otherwise). */
  disarm(name: TimerName): void {
    if ((this.armed & bit(name)) === 0) return;
    this.armed &= ~bit(name);
    this.effects.cancelTimer(name);
  }

  /**
   * Stops caring about `name` without a cancel: the host's pending timer is either replaced by the
   * next arm or fires stale.
   */
  drop(name: TimerName): void {
    this.armed &= ~bit(name);
  }

  /** The host fired `name`: true (and no longer armed) if it was armed, false for a stale firing. */
  fired(name: TimerName): boolean {
    if ((this.armed & bit(name)) === 0) return false;
    this.armed &= ~bit(name);
    return true;
  }
}
