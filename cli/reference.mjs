#!/usr/bin/env node
// `npm run reference`: runs the compiled reference server entry (dist/cli/reference.js), or the
// TypeScript through tsx when dist/ is missing or older than the sources (cli/compiledEntry.mjs).
import { launch } from './compiledEntry.mjs';

await launch('reference');
