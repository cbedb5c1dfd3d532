#!/usr/bin/env node
// The package's `bin`: runs the compiled CLI (dist/cli/conformance.js), or the TypeScript through
// tsx when dist/ is missing or older than the sources (cli/compiledEntry.mjs).
import { launch } from './compiledEntry.mjs';

await launch('conformance');
