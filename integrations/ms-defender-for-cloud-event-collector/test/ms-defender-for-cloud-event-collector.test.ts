import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const SECURITY = `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Security`;
const alert = (name: string, time: string) => ({
  id: `${SECURITY}/locations/centralus/alerts/${name}`,
  name,
  properties: {
    alertDisplayName: `Alert ${name}`,
    severity: "Medium",
    status: "Active",
    timeGeneratedUtc: time,
  },
});

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, { params: { sub_id: SUBSCRIPTION } });
  const { emulator } = harness;
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/providers/Microsoft.Security/alerts",
    { resource: "arm" },
    (ctx) =>
      ctx.query["$skipToken"]
        ? ctx.json(200, { value: [alert("a1", "2024-05-01T08:00:00Z")] })
        : ctx.json(200, {
            value: [alert("a3", "2024-05-03T08:00:00Z"), alert("a2", "2024-05-02T08:00:00Z")],
            nextLink: `https://management.azure.com${SECURITY}/alerts?api-version=2022-01-01&$skipToken=p2`,
          }),
  );
  emulator.addRoute(
    "GET",
    "/subscriptions/:sub/providers/Microsoft.Security/locations/:loc/alerts/:name",
    { resource: "arm" },
    (ctx) => ctx.json(200, alert(ctx.params["name"]!, "2024-05-01T08:00:00Z")),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("Microsoft Defender for Cloud Event Collector manifest", () => {
  it("has no managed identity parameters", () => {
    expect(integration.parameters.map((parameter) => parameter.key)).not.toContain("use_managed_identities");
  });
});

describe("events", () => {
  it("ms-defender-for-cloud-get-events reads every page and returns the newer alerts oldest first", async () => {
    const result = await harness.run("ms-defender-for-cloud-get-events", {
      first_fetch: "2024-05-01T12:00:00Z",
    });
    expect(
      harness.calls.map((call) => [call.path, call.query["api-version"], call.query["$skipToken"]]),
    ).toEqual([
      [`${SECURITY}/alerts`, "2022-01-01", undefined],
      [`${SECURITY}/alerts`, "2022-01-01", "p2"],
    ]);
    expect((result.outputs as Array<{ name: string }>).map((event) => event.name)).toEqual(["a2", "a3"]);
    expect(result.readable).toContain("### Microsoft Defender For Cloud - List Alerts");
  });

  it("ms-defender-for-cloud-get-event gets one alert", async () => {
    const result = await harness.run("ms-defender-for-cloud-get-event", {
      location: "centralus",
      alert_name: "a9",
    });
    expect(harness.lastCall().path).toBe(`${SECURITY}/locations/centralus/alerts/a9`);
    expect(result.readable).toContain("|a9|Alert a9|Medium|Active|");
  });
});

describe("auth errors", () => {
  it("a managed identity is refused: the collector only supports client credentials", async () => {
    await expect(
      harness.run(
        "ms-defender-for-cloud-get-events",
        {},
        { use_managed_identities: true, auth_type: "Azure Managed Identities" },
      ),
    ).rejects.toThrow("does not support the Azure Managed Identities flow");
  });

  it("a wrong client secret fails with AADSTS7000215", async () => {
    await expect(harness.run("ms-defender-for-cloud-get-events", {}, { enc_key: "wrong" })).rejects.toThrow(
      "AADSTS7000215",
    );
  });
});
