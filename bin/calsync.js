#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so there is no build step between a clone and a run.
import { existsSync } from "node:fs";
import { register } from "tsx/esm/api";

// A .env file in the working directory is read first; variables already set in the environment win.
if (existsSync(".env") && typeof process.loadEnvFile === "function") process.loadEnvFile(".env");

register();
await import("../src/cli/main.ts");
