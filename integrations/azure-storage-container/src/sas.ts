import { createHmac } from "node:crypto";
import { type CommandContext, type CommandResult, storageName, UsageError } from "@msint/integration-kit";

/** The service SAS version msint signs (the Blob API version of its requests). */
const SAS_VERSION = "2020-10-02";

/** The SAS query fields, in the order they are written. */
type SasFields = Record<string, string>;

/**
 * The string-to-sign of a Blob service SAS for versions 2018-11-09 up to 2020-12-06 (no encryption scope line),
 * learn.microsoft.com/rest/api/storageservices/create-service-sas "Construct the signature string".
 */
function stringToSign(canonicalizedResource: string, fields: SasFields): string {
  return [
    fields["sp"],
    fields["st"] ?? "",
    fields["se"],
    canonicalizedResource,
    "", // signedIdentifier: no stored access policy
    fields["sip"] ?? "",
    fields["spr"] ?? "",
    fields["sv"],
    fields["sr"],
    "", // signedSnapshotTime
    "", // rscc
    "", // rscd
    "", // rsce
    "", // rscl
    "", // rsct
  ].join("\n");
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the form SAS times take. */
const sasTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * `azure-storage-container-sas-create`: a service SAS for the container (sr=c) or one of its blobs (sr=b, bv, bs),
 * signed here with the storage account key; no request is sent. XSOAR signs with the key the same way.
 */
export async function createSas(
  context: CommandContext<{ expiry_time: string; signed_resources: string; signed_permissions: string }>,
): Promise<CommandResult> {
  const { args } = context;
  const container = storageName(context, "container_name", "container");
  const account = String(context.params["account_name"] ?? "").trim();
  const key = args["account_key"]?.trim();
  if (!key) {
    throw new UsageError(
      "account_key is not set: a service SAS is signed with the storage account's key (Azure Portal > Storage account > Access keys).",
    );
  }
  const hours = Number(args["expiry_time"]);
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new UsageError(`expiry_time must be a number of hours above 0 (got "${args["expiry_time"]}").`);
  }
  const resource = args["signed_resources"];
  if (!["c", "b", "bv", "bs"].includes(resource)) {
    throw new UsageError(
      `signed_resources ${resource} is not offered: use c (the container) or b, bv, bs (a blob, with blob_name).`,
    );
  }
  const blob = args["blob_name"];
  if (resource !== "c" && !blob)
    throw new UsageError(`signed_resources=${resource} signs one blob: give blob_name.`);
  if (!/^[racwdxltmeopi]+$/.test(args["signed_permissions"])) {
    throw new UsageError(
      `signed_permissions "${args["signed_permissions"]}" is not a list of SAS permission letters (racwdl…).`,
    );
  }
  const fields: SasFields = {
    sv: SAS_VERSION,
    sp: args["signed_permissions"],
    se: sasTime(new Date(Date.now() + hours * 3_600_000)),
    sr: resource,
    spr: "https",
    ...(args["signed_ip"] ? { sip: args["signed_ip"] } : {}),
  };
  const path = resource === "c" ? `/${container}` : `/${container}/${blob}`;
  fields["sig"] = createHmac("sha256", Buffer.from(key, "base64"))
    .update(stringToSign(`/blob/${account}${path}`, fields), "utf8")
    .digest("base64");
  const token = new URLSearchParams(fields).toString();
  return {
    readable: `## Azure Storage Container SAS Token\n\n${token}`,
    outputsPrefix: "AzureStorageContainer.Container",
    outputsKeyField: "name",
    outputs: { name: container, SAS: { token, expiry: fields["se"], resource, permissions: fields["sp"] } },
  };
}
