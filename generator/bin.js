#!/usr/bin/env node
// Entry point of the `arazzo-ts` command: runs the TypeScript sources through tsx's loader,
// so the generator needs no build step after `npm ci`.
import { register } from "tsx/esm/api";

register();
const { run } = await import("./cli.ts");
await run(process.argv.slice(2));
