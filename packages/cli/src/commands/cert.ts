import type { Command } from "commander";
import type { CliContext } from "./context.js";

/** `msint cert create <name>`: a key and self-signed certificate for certificate credentials (../cert.ts). */
export function registerCert(program: Command, cli: CliContext): void {
  program
    .command("cert")
    .description("Certificates for certificate credentials")
    .command("create <name>")
    .description("Write NAME.key and a self-signed NAME.crt, and print the SHA-1 thumbprint to register")
    .option("--days <days>", "validity in days", "365")
    .option("--dir <dir>", "where to write the files", ".")
    .action(async (name: string, options: { days: string; dir: string }) => {
      const { createCertificate } = await import("../cert.js");
      cli.io.out(await createCertificate(name, { days: Number(options.days), dir: options.dir }));
    });
}
