#!/usr/bin/env node
import { main } from "./main.js";

// Once main has answered, nothing may keep the process alive for long: a request still hanging after a command's
// deadline (or a stray keep-alive socket) must not hold the shell. Output is written by then.
const LINGER_MS = 1_000;

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(), LINGER_MS).unref();
  },
  (error: unknown) => {
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    setTimeout(() => process.exit(), LINGER_MS).unref();
  },
);
