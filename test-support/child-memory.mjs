// What a child server (test-support/child-server.ts) reports as its memory, after a forced GC.
export function memory() {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { rssMb: m.rss / 1048576, heapMb: m.heapUsed / 1048576 };
}
