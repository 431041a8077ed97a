// `npm run bench`: every table, ours and the peers measured in the same run.
import { execFileSync } from 'node:child_process';

const run = (args) => execFileSync(process.execPath, args, { stdio: 'inherit' });
run(['bench/bundle.mjs']);
run(['bench/run.mjs', 'bench/renders.tsx']);
run(['bench/run.mjs', 'bench/recovery.ts']);
run(['bench/run.mjs', 'bench/server-compare.ts']);
run(['bench/run.mjs', 'bench/redis-compare.ts']);
