// The same entry as bin/nnc.js, run from source (`node --import tsx src/cli/bin.ts`) for tests and development.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
