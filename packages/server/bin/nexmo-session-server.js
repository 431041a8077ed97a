#!/usr/bin/env node
import { main } from '../dist/index.js';

main().catch((err) => {
  console.error(`nexmo-session-server: ${err.message}`);
  process.exit(1);
});
