import type { FlowId } from "@msint/auth-core";
import type { SeedColumns } from "../manifest.js";

const yesNo = (value: boolean) => (value ? "yes" : "no");

/**
 * The six columns of the seed document's table of supported flows: the manifest key, the seed's heading, the
 * flow a column stands for, and the column's word for a manifest ("yes", "no", "yes - device", "no - saas").
 */
export const SEED_COLUMNS = [
  {
    key: "xsoarApp",
    heading: "XSOAR Application",
    flow: "xsoar-app",
    word: (flows: SeedColumns) =>
      flows.xsoarApp === "device" ? "yes - device" : flows.xsoarApp === "yes" ? "yes" : "no",
  },
  {
    key: "clientCredentials",
    heading: "Client Credentials",
    flow: "client-credentials",
    word: (flows: SeedColumns) => yesNo(flows.clientCredentials),
  },
  {
    key: "deviceCode",
    heading: "Device Code",
    flow: "device-code",
    word: (flows: SeedColumns) => yesNo(flows.deviceCode),
  },
  {
    key: "authorizationCode",
    heading: "Auth code (redirect URI)",
    flow: "authorization-code",
    word: (flows: SeedColumns) => yesNo(flows.authorizationCode),
  },
  {
    key: "managedIdentities",
    heading: "Azure Managed Identities",
    flow: "managed-identity",
    word: (flows: SeedColumns) =>
      flows.managedIdentities === "saas" ? "no - saas" : yesNo(flows.managedIdentities === true),
  },
  {
    key: "nationalClouds",
    heading: "Supports National Clouds",
    flow: undefined,
    word: (flows: SeedColumns) => yesNo(flows.nationalClouds),
  },
] as const satisfies ReadonlyArray<{
  key: keyof SeedColumns;
  heading: string;
  flow: FlowId | undefined;
  word(flows: SeedColumns): string;
}>;

/** A column key of the seed table. */
export type SeedColumnKey = (typeof SEED_COLUMNS)[number]["key"];

/** The flows in the seed table's words: "yes", "no", "yes - device", "no - saas". */
export function flowTableWords(flows: SeedColumns): Record<SeedColumnKey, string> {
  const words = {} as Record<SeedColumnKey, string>;
  for (const column of SEED_COLUMNS) words[column.key] = column.word(flows);
  return words;
}

/** The flows an integration declares in the seed's columns, in the table's column order. */
export function declaredFlows(flows: SeedColumns): FlowId[] {
  return SEED_COLUMNS.flatMap((column) =>
    column.flow !== undefined && column.word(flows).startsWith("yes") ? [column.flow] : [],
  );
}
