/**
 * A clock that moves only when told: Storybook stories and docs use it to show one exact moment of
 * an outage (attempt 3, countdown 4 s) without real waiting. Tests may use it or vitest fake timers.
 */
import type { Clock } from '../clock.js';

export interface ManualClock extends Clock {
  /** Move time forward, running every timer that falls due, in order. */
  advance(ms: number): void;
  readonly pending: number;
}

export function manualClock(startMs = 0): ManualClock {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
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
      for (;;) {
        let dueId: number | null = null;
        let due: { at: number; fn: () => void } | null = null;
        for (const [id, t] of timers) {
          if (t.at <= target && (due === null || t.at < due.at)) {
            dueId = id;
            due = t;
          }
        }
        if (due === null || dueId === null) break;
        timers.delete(dueId);
        now = due.at;
        due.fn();
      }
      now = target;
    },
    get pending() {
      return timers.size;
    },
  };
}
