#!/usr/bin/env node
import { main } from '../dist/index.js';

// Usage errors (unknown flag, bad value) exit 2 with their message; anything else exits 1.
main().catch((err) => {
  console.error(`nexmo-session-server: ${err.message}`);
  process.exit(typeof err.exitCode === 'number' ? err.exitCode : 1);
});
