/**
 * The network seam: online/offline and "the page became visible" signals. The default reads the
 * browser when there is one and reports "always online" elsewhere (Node, SSR), so nothing touches
 * `window` or `document` outside a browser. Listeners are attached on the first subscriber only.
 */
export type NetworkChange = 'online' | 'offline' | 'visible';

export interface NetworkSource {
  isOnline(): boolean;
  /** Returns an unsubscribe function. */
  subscribe(listener: (change: NetworkChange) => void): () => void;
}

export const browserNetwork: NetworkSource = {
  isOnline: () => (typeof navigator === 'undefined' ? true : navigator.onLine !== false),
  subscribe(listener) {
    if (typeof window === 'undefined' || typeof window.addEventListener !== 'function') return () => {};
    const doc = typeof document === 'undefined' ? null : document;
    // A tab coming back to the foreground may hold a socket that died while it slept.
    const events: [EventTarget | null, string, () => void][] = [
      [window, 'online', () => listener('online')],
      [window, 'offline', () => listener('offline')],
      [doc, 'visibilitychange', () => doc?.visibilityState === 'visible' && listener('visible')],
    ];
    for (const [target, type, fn] of events) target?.addEventListener(type, fn);
    return () => {
      for (const [target, type, fn] of events) target?.removeEventListener(type, fn);
    };
  },
};

export interface ManualNetwork extends NetworkSource {
  set(online: boolean): void;
  /** Report that the page became visible again. */
  visible(): void;
}

/** A network source driven by hand: for tests, Storybook and the playground's "go offline" button. */
export function manualNetwork(initiallyOnline = true): ManualNetwork {
  let online = initiallyOnline;
  const listeners = new Set<(change: NetworkChange) => void>();
  const emit = (change: NetworkChange) => {
    for (const l of [...listeners]) l(change);
  };
  return {
    isOnline: () => online,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      if (next === online) return;
      online = next;
      emit(online ? 'online' : 'offline');
    },
    visible: () => emit('visible'),
  };
}
