import { parseFastRun } from "./fast-path.js";

// Once main has answered, nothing may keep the process alive for long: a request still hanging after a command's
// deadline (or a stray keep-alive socket) must not hold the shell. Output is written by then.
const LINGER_MS = 1_000;

// The hot path (`msint run … --instance X`) does not load commander, which costs ~15-20 ms of a cold start.
const fast = parseFastRun(process.argv);
const exitCode: Promise<number> = fast
  ? import("./run-fast.js").then(({ runFast }) => runFast(fast))
  : process.argv[2] === "__complete"
    ? // The shells' completion helper: no commander (its words may look like options).
      Promise.all([import("./completion.js"), import("./output.js")]).then(([{ complete }, { processIo }]) =>
        complete(process.argv.slice(3), processIo),
      )
    : import("./main.js").then(({ main }) => main(process.argv));

exitCode.then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(), LINGER_MS).unref();
  },
  (error: unknown) => {
    // Not output.ts's processIo (this path must not load it): the same neutralising of terminal controls.
    const message = (error instanceof Error ? error.message : String(error)).replace(
      /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
      (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    process.stderr.write(`Error: ${message}\n`);
    process.exitCode = 1;
    setTimeout(() => process.exit(), LINGER_MS).unref();
  },
);
