import type { ReactNode } from 'react';
import { useCountdown } from '../hooks/use-countdown.js';

/**
 * Renders `children(seconds)` and re-renders once per displayed second. Kept as its own component
 * so the per-second tick re-renders only this, never the banner or prompt around it.
 */
export function Countdown({ targetMs, children }: { targetMs: number; children: (seconds: number) => ReactNode }) {
  const seconds = useCountdown(targetMs) ?? 0;
  return <>{children(seconds)}</>;
}
