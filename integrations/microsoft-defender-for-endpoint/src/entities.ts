import { type CommandContext, type CommandResult, tableToMarkdown } from "@msint/integration-kit";
import { type Entry, listArgument, required } from "./context.js";

// Files, domains and IP addresses: learn.microsoft.com/defender-endpoint/api/get-file-information,
// get-file-statistics, get-domain-statistics, get-ip-statistics.

/** `microsoft-atp-get-file-info`: GET /api/files/{hash} for each hash. */
export async function getFileInfo(context: CommandContext): Promise<CommandResult> {
  const files: Entry[] = [];
  for (const hash of listArgument(required(context, "hash"))) {
    const file = await context.api.get<Entry>(`/api/files/${encodeURIComponent(hash)}`);
    if (file) files.push(file);
  }
  const entries = files.map((file) => ({
    Sha1: file["sha1"],
    MD5: file["md5"],
    Sha256: file["sha256"],
    GlobalPrevalence: file["globalPrevalence"],
    GlobalFirstObserved: file["globalFirstObserved"],
    GlobalLastObserved: file["globalLastObserved"],
    Size: file["size"],
    FileType: file["fileType"],
    IsPeFile: file["isPeFile"],
    FilePublisher: file["filePublisher"],
    FileProductName: file["fileProductName"],
    Signer: file["signer"],
    Issuer: file["issuer"],
    SignerHash: file["signerHash"],
    IsValidCertificate: file["isValidCertificate"],
    DeterminationValue: file["determinationValue"],
    DeterminationType: file["determinationType"],
  }));
  return {
    readable: tableToMarkdown("Microsoft Defender ATP file info:", entries, [
      "Sha1",
      "Sha256",
      "Size",
      "FileType",
      "GlobalPrevalence",
      "DeterminationType",
      "DeterminationValue",
    ]),
    outputsPrefix: "MicrosoftATP.File",
    outputsKeyField: "Sha1",
    outputs: entries,
    additionalOutputs: {
      File: files.map((file) => ({
        SHA1: file["sha1"],
        SHA256: file["sha256"],
        MD5: file["md5"],
        Type: file["fileType"],
        Size: file["size"],
      })),
    },
    raw: files,
  };
}

/** `microsoft-atp-get-file-statistics`: GET /api/files/{hash}/stats. */
export async function getFileStatistics(context: CommandContext): Promise<CommandResult> {
  const hash = required(context, "file_hash");
  const stats = (await context.api.get<Entry>(`/api/files/${encodeURIComponent(hash)}/stats`)) ?? {};
  const statistics = {
    OrgPrevalence: stats["orgPrevalence"],
    OrgFirstSeen: stats["orgFirstSeen"],
    OrgLastSeen: stats["orgLastSeen"],
    GlobalPrevalence: stats["globalPrevalence"],
    GlobalFirstObserved: stats["globalFirstObserved"],
    GlobalLastObserved: stats["globalLastObserved"],
    TopFileNames: stats["topFileNames"],
  };
  return {
    readable: tableToMarkdown(`Statistics on file ${hash}:`, [statistics]),
    outputsPrefix: "MicrosoftATP.FileStatistics",
    outputsKeyField: "Sha1",
    outputs: { Sha1: stats["sha1"] ?? hash, Statistics: statistics },
    additionalOutputs: {
      File: {
        SHA1: stats["sha1"] ?? hash,
        OrganizationPrevalence: stats["orgPrevalence"],
        GlobalPrevalence: stats["globalPrevalence"],
        OrganizationFirstSeen: stats["orgFirstSeen"],
        OrganizationLastSeen: stats["orgLastSeen"],
        FirstSeenBySource: stats["globalFirstObserved"],
        LastSeenBySource: stats["globalLastObserved"],
      },
    },
    raw: stats,
  };
}

/** `microsoft-atp-get-domain-statistics`: GET /api/domains/{domain}/stats. */
export async function getDomainStatistics(context: CommandContext): Promise<CommandResult> {
  const domain = required(context, "domain");
  const stats = (await context.api.get<Entry>(`/api/domains/${encodeURIComponent(domain)}/stats`)) ?? {};
  const statistics = {
    Host: stats["host"],
    OrgPrevalence: stats["orgPrevalence"],
    OrgFirstSeen: stats["orgFirstSeen"],
    OrgLastSeen: stats["orgLastSeen"],
  };
  return {
    readable: tableToMarkdown(`Statistics on ${domain} domain:`, [statistics]),
    outputsPrefix: "MicrosoftATP.DomainStatistics",
    outputsKeyField: "Domain",
    outputs: { Domain: domain, Statistics: statistics },
    raw: stats,
  };
}

/** `microsoft-atp-get-ip-statistics`: GET /api/ips/{ip}/stats. */
export async function getIpStatistics(context: CommandContext): Promise<CommandResult> {
  const ip = required(context, "ip");
  const stats = (await context.api.get<Entry>(`/api/ips/${encodeURIComponent(ip)}/stats`)) ?? {};
  const statistics = {
    IPAddress: stats["ipAddress"],
    OrgPrevalence: stats["orgPrevalence"],
    OrgFirstSeen: stats["orgFirstSeen"],
    OrgLastSeen: stats["orgLastSeen"],
  };
  return {
    readable: tableToMarkdown(`Statistics on ${ip} IP:`, [statistics]),
    outputsPrefix: "MicrosoftATP.IPStatistics",
    outputsKeyField: "IPAddress",
    outputs: { IPAddress: ip, Statistics: statistics },
    raw: stats,
  };
}
