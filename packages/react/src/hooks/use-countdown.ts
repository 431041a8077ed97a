/**
 * Whole seconds left until `targetMs` on the session's clock, ticking inside the component that
 * calls it (never in the store), and re-rendering only when the displayed second changes.
 */
import { useEffect, useState } from 'react';
import { useSessionInstance } from '../context.js';

export function secondsUntil(targetMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((targetMs - nowMs) / 1000));
}

export function useCountdown(targetMs: number | null): number | null {
  const { clock } = useSessionInstance('useCountdown');
  const [seconds, setSeconds] = useState<number | null>(() =>
    targetMs === null ? null : secondsUntil(targetMs, clock.now()),
  );

  useEffect(() => {
    if (targetMs === null) {
      setSeconds(null);
      return;
    }
    let handle: unknown;
    const tick = () => {
      const now = clock.now();
      setSeconds(secondsUntil(targetMs, now));
      const left = targetMs - now;
      if (left <= 0) return;
      // Wake at the next whole-second boundary of the remaining time.
      handle = clock.setTimeout(tick, left % 1000 || 1000);
    };
    tick();
    return () => clock.clearTimeout(handle);
  }, [targetMs, clock]);

  return targetMs === null ? null : seconds;
}

/** "1:05", "0:09" */
export function formatSeconds(total: number): string {
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${s.toString().padStart(2, '0')}`;
}
