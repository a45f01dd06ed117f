#!/usr/bin/env node
// Entry point of the `twinview` CLI: registers the TypeScript loader, then runs tiling/cli.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../tiling/cli.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
