#!/usr/bin/env node
import { main } from '../dist/cli/nnc.mjs';

process.exitCode = await main(process.argv.slice(2));
