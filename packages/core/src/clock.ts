/**
 * The time seam. Every timer in the engine and the transports goes through a Clock, so tests run
 * schedules with fake timers and Storybook can replay an outage on a timeline.
 */
export type TimerHandle = unknown;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * Arrow functions read the globals at call time (not at import time), so fake timers installed
 * after this module loaded still take effect (the same trick as TanStack Query's timeoutManager).
 */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** setTimeout fires at once for delays above this (browsers and Node): longer waits are chained. */
export const maxTimerDelayMs = 2 ** 31 - 1;

/**
 * A group of one-shot timers on one clock, cancelled together. Each timer fires at an absolute
 * time; waits longer than setTimeout's limit are chained, never early (a 30-day token must not
 * expire at once). Machine states own one group each, so leaving a state cancels its timers.
 */
export class TimerGroup {
  readonly #clock: Clock;
  readonly #handles = new Map<number, TimerHandle>();
  #nextId = 1;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Run `fn` at `atMs` (epoch ms on this clock). Returns an id for `cancel`. */
  at(atMs: number, fn: () => void): number {
    const id = this.#nextId++;
    const arm = () => {
      const delayMs = Math.max(0, atMs - this.#clock.now());
      const chained = delayMs > maxTimerDelayMs;
      this.#handles.set(
        id,
        this.#clock.setTimeout(
          () => {
            if (chained) return arm();
            this.#handles.delete(id);
            fn();
          },
          chained ? maxTimerDelayMs : delayMs,
        ),
      );
    };
    arm();
    return id;
  }

  after(delayMs: number, fn: () => void): number {
    return this.at(this.#clock.now() + delayMs, fn);
  }

  cancel(id: number | null | undefined): void {
    if (id == null) return;
    const handle = this.#handles.get(id);
    if (handle === undefined) return;
    this.#clock.clearTimeout(handle);
    this.#handles.delete(id);
  }

  cancelAll(): void {
    for (const handle of this.#handles.values()) this.#clock.clearTimeout(handle);
    this.#handles.clear();
  }

  get size(): number {
    return this.#handles.size;
  }
}
