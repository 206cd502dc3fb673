import { resolveEndpoints, resolveParameterValues, scopesFor } from "@msint/integration-kit";
import { type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

const DEVOPS = "499b84ac-1321-427f-aa17-267ca6975798";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(integration, {
    resources: { "azure-devops": [DEVOPS] },
    params: { organization: "contoso", project: "secops", repository: "detections" },
  });
  const { emulator } = harness;
  const devops = { resource: "azure-devops" };
  emulator.addRoute("GET", "/:org/_apis/projects", devops, (ctx) =>
    ctx.json(200, {
      count: 1,
      value: [{ id: "eb6e4656", name: "secops", state: "wellFormed", visibility: "private" }],
    }),
  );
  emulator.addRoute("GET", "/:org/:project/_apis/git/repositories/:repo/pullrequests", devops, (ctx) =>
    ctx.json(200, {
      count: 1,
      value: [
        {
          pullRequestId: 42,
          title: "Add phishing rule",
          status: "active",
          createdBy: { displayName: "Adele Vance" },
          sourceRefName: "refs/heads/phish",
          targetRefName: "refs/heads/main",
        },
      ],
    }),
  );
  emulator.addRoute("GET", "/:org/:project/_apis/git/repositories/:repo/refs", devops, (ctx) =>
    ctx.json(200, { count: 1, value: [{ name: "refs/heads/main", objectId: "6f1a2b3c" }] }),
  );
  emulator.addRoute("GET", "/:org/:project/_apis/wit/workitems/:id", devops, (ctx) =>
    ctx.json(200, {
      id: Number(ctx.params["id"]),
      fields: { "System.Title": "Triage alert", "System.WorkItemType": "Task", "System.State": "Active" },
    }),
  );
});
afterAll(() => harness.close());
beforeEach(() => harness.clear());

describe("AzureDevOps manifest", () => {
  it("tokens are for the Azure DevOps application", () => {
    const params = resolveParameterValues(integration.parameters, { organization: "contoso" }, {});
    const endpoints = resolveEndpoints(integration.manifest, params);
    expect(endpoints.apiBase).toBe("https://dev.azure.com/contoso");
    expect(scopesFor(integration.manifest, "client-credentials", endpoints)).toEqual([`${DEVOPS}/.default`]);
    expect(scopesFor(integration.manifest, "device-code", endpoints)).toEqual([
      `${DEVOPS}/user_impersonation`,
      "offline_access",
    ]);
  });
});

describe("projects, pull requests, branches, work items", () => {
  it("azure-devops-project-list", async () => {
    const result = await harness.run("azure-devops-project-list");
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "dev.azure.com",
      path: "/contoso/_apis/projects",
      query: { "api-version": "7.1", $top: "50" },
    });
    expect(harness.emulator.tokenRequests().at(-1)?.scope).toBe(`${DEVOPS}/.default`);
    expect(result.readable).toContain("|secops|eb6e4656|wellFormed|private|");
  });

  it("azure-devops-pull-request-list and -branch-list use the default project and repository", async () => {
    const result = await harness.run("azure-devops-pull-request-list", { status: "all" });
    expect(harness.lastCall()).toMatchObject({
      path: "/contoso/secops/_apis/git/repositories/detections/pullrequests",
      query: { "api-version": "7.1", "searchCriteria.status": "all" },
    });
    expect(result.readable).toContain(
      "|42|Add phishing rule|active|Adele Vance|refs/heads/phish|refs/heads/main|",
    );
    await harness.run("azure-devops-branch-list", { repository: "playbooks" });
    expect(harness.lastCall()).toMatchObject({
      path: "/contoso/secops/_apis/git/repositories/playbooks/refs",
      query: { filter: "heads/" },
    });
  });

  it("azure-devops-work-item-get", async () => {
    const result = await harness.run("azure-devops-work-item-get", { item_id: "7" });
    expect(harness.lastCall().path).toBe("/contoso/secops/_apis/wit/workitems/7");
    expect(result.readable).toContain("|7|Triage alert|Task|Active|");
  });
});

describe("auth errors", () => {
  it("a wrong client secret fails with AADSTS7000215", async () => {
    await expect(harness.run("azure-devops-project-list", {}, { enc_key: "wrong" })).rejects.toThrow(
      "AADSTS7000215",
    );
  });

  it("names the organization parameter when it is missing", async () => {
    await expect(harness.run("azure-devops-project-list", {}, { organization: "" })).rejects.toThrow(
      "Organization name is not set",
    );
  });
});
