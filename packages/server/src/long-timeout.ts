/** setTimeout fires at once past 2^31−1 ms (24.8 days); a token can live longer than that. */
const maxDelayMs = 2 ** 31 - 1;

export interface LongTimeout {
  cancel(): void;
}

/** Like setTimeout, but chained so a delay past the platform limit is never early. unref'd. */
export function setLongTimeout(fn: () => void, delayMs: number): LongTimeout {
  let timer: ReturnType<typeof setTimeout>;
  const dueAt = Date.now() + Math.max(0, delayMs);
  const arm = () => {
    const left = dueAt - Date.now();
    timer = setTimeout(left > maxDelayMs ? arm : fn, Math.min(Math.max(0, left), maxDelayMs));
    timer.unref?.();
  };
  arm();
  return { cancel: () => clearTimeout(timer) };
}
