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

/**
 * A set of named timers on one clock: setting a name replaces its previous timer, so one
 * concern never has two timers, and `clearAll()` is how logout/destroy guarantee nothing survives.
 */
export class Timers<Name extends string = string> {
  readonly #clock: Clock;
  readonly #handles = new Map<Name, TimerHandle>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  set(name: Name, atMs: number, fn: () => void): void {
    this.clear(name);
    const delayMs = Math.max(0, atMs - this.#clock.now());
    const handle = this.#clock.setTimeout(() => {
      this.#handles.delete(name);
      fn();
    }, delayMs);
    this.#handles.set(name, handle);
  }

  clear(name: Name): void {
    const handle = this.#handles.get(name);
    if (handle === undefined) return;
    this.#clock.clearTimeout(handle);
    this.#handles.delete(name);
  }

  has(name: Name): boolean {
    return this.#handles.has(name);
  }

  clearAll(): void {
    for (const handle of this.#handles.values()) this.#clock.clearTimeout(handle);
    this.#handles.clear();
  }

  get size(): number {
    return this.#handles.size;
  }
}

/**
 * Anonymous one-shot timers on one clock, all cancellable at once (for transports: attempt
 * delays, simulated latency). `size` lets tests prove nothing is left behind.
 */
export class TimerSet {
  readonly #clock: Clock;
  readonly #handles = new Set<TimerHandle>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  after(delayMs: number, fn: () => void): TimerHandle {
    const handle = this.#clock.setTimeout(
      () => {
        this.#handles.delete(handle);
        fn();
      },
      Math.max(0, delayMs),
    );
    this.#handles.add(handle);
    return handle;
  }

  cancel(handle: TimerHandle | null | undefined): void {
    if (handle === null || handle === undefined || !this.#handles.has(handle)) return;
    this.#clock.clearTimeout(handle);
    this.#handles.delete(handle);
  }

  cancelAll(): void {
    for (const handle of this.#handles) this.#clock.clearTimeout(handle);
    this.#handles.clear();
  }

  get size(): number {
    return this.#handles.size;
  }
}
