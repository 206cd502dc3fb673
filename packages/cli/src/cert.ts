import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { UsageError } from "@msint/integration-kit";

/**
 * `msint cert create NAME`: a 2048-bit RSA key and a self-signed certificate for certificate credentials — what
 * the seed document does by hand with openssl. Prints the SHA-1 thumbprint to paste as Certificate Thumbprint.
 */
export async function createCertificate(
  name: string,
  options: { days: number; dir: string },
): Promise<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw new UsageError(
      `"${name}" is not a usable certificate name: use letters, digits, dot, dash and underscore.`,
    );
  }
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 3650) {
    throw new UsageError(`--days takes a whole number from 1 to 3650, not "${options.days}".`);
  }
  const { createSelfSignedCertificate } = await import("@msint/auth-core/internal");
  const created = await createSelfSignedCertificate({ commonName: name, days: options.days });
  const directory = resolve(options.dir);
  const keyFile = join(directory, `${name}.key`);
  const certFile = join(directory, `${name}.crt`);
  try {
    await writeFile(keyFile, created.privateKeyPem, { mode: 0o600, flag: "wx" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "EEXIST"
        ? `${keyFile} already exists; choose another name or remove it.`
        : `Cannot write ${keyFile}: ${code}.`,
    );
  }
  await writeFile(certFile, created.certificatePem, { mode: 0o644 });
  return [
    `Private key:  ${keyFile} (mode 0600; paste it, including the BEGIN/END lines, into Private Key)`,
    `Certificate:  ${certFile} (upload it under App registrations > your app > Certificates & secrets > Certificates)`,
    `Thumbprint:   ${created.thumbprintSha1} (SHA-1, paste it into Certificate Thumbprint)`,
    `SHA-256:      ${created.thumbprintSha256}`,
    `Valid until:  ${new Date(created.notAfter).toISOString()}`,
  ].join("\n");
}
