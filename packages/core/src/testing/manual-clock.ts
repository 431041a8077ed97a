/**
 * A clock that moves only when told: Storybook stories and docs use it to show one exact moment of
 * an outage (attempt 3, countdown 4 s) without real waiting. Tests may use it or vitest fake timers.
 */
import type { Clock } from '../clock.js';

export interface ManualClock extends Clock {
  /** Move time forward, running every timer that falls due, in order. */
  advance(ms: number): void;
  /**
   * Like advance, but lets promise callbacks settle after each timer (and before the first), so
   * work a timer starts asynchronously (a simulated reply, a token fetch) lands at its own time.
   */
  advanceAsync(ms: number): Promise<void>;
  readonly pending: number;
}

const maxTimersPerAdvance = 1_000_000;
const runaway = `manualClock: more than ${maxTimersPerAdvance} timers fired in one advance; a timer that re-arms itself at once?`;

export function manualClock(startMs = 0): ManualClock {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const nextDue = (target: number) => {
    let dueId: number | null = null;
    let due: { at: number; fn: () => void } | null = null;
    for (const [id, t] of timers) {
      if (t.at <= target && (due === null || t.at < due.at || (t.at === due.at && id < (dueId as number)))) {
        dueId = id;
        due = t;
      }
    }
    return due === null || dueId === null ? null : { id: dueId, ...due };
  };
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const target = now + ms;
      let fired = 0;
      for (let due = nextDue(target); due; due = nextDue(target)) {
        if (++fired > maxTimersPerAdvance) throw new Error(runaway);
        timers.delete(due.id);
        now = due.at;
        due.fn();
      }
      now = target;
    },
    async advanceAsync(ms) {
      const target = now + ms;
      await settle();
      let fired = 0;
      for (let due = nextDue(target); due; due = nextDue(target)) {
        // Promise callbacks never yield to real timers, so a runaway timer loop would hang the
        // test runner instead of failing it: fail it.
        if (++fired > maxTimersPerAdvance) throw new Error(runaway);
        timers.delete(due.id);
        now = due.at;
        due.fn();
        await settle();
      }
      now = target;
    },
    get pending() {
      return timers.size;
    },
  };
}
