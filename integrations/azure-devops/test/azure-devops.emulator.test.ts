import { DEMO_USER_UPN, type Harness, startHarness } from "@msint/integration-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import integration from "../src/index.js";

// Every command through client credentials, device code and authorization code against the emulator's built-in
// Azure DevOps double (organization "msintdemo": projects SecOps and Retail Web).

const ORG = "msintdemo";
const PARAMS = { organization: ORG, project: "SecOps", repository: "secops-playbooks" };

let harness: Harness;
let noGrant: { auth_id: string; enc_key: string };

beforeAll(async () => {
  harness = await startHarness(integration, { params: PARAMS });
  const app = harness.emulator.seed.tenants[0]!.apps.find(
    (candidate) => candidate.secrets?.length && Object.keys(candidate.grants ?? { x: 1 }).length === 0,
  )!;
  noGrant = { auth_id: app.clientId, enc_key: app.secrets![0]!.value };
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.clear();
  harness.emulator.clearRequests();
});

type Run = (
  command: string,
  args?: Record<string, string>,
) => Promise<{ outputs?: unknown; readable?: string }>;

async function everyCommand(run: Run) {
  const projects = await run("azure-devops-project-list", { limit: "10" });
  // learn.microsoft.com/rest/api/azure/devops/core/projects/list: GET {org}/_apis/projects?api-version=7.1.
  expect(harness.lastCall()).toMatchObject({
    method: "GET",
    host: "dev.azure.com",
    path: `/${ORG}/_apis/projects`,
    query: { "api-version": "7.1", $top: "10" },
  });
  expect((projects.outputs as Array<{ name: string }>).map((project) => project.name)).toEqual([
    "SecOps",
    "Retail Web",
  ]);

  const pulls = await run("azure-devops-pull-request-list", { status: "all" });
  // git/pull-requests/get-pull-requests: GET {org}/{project}/_apis/git/repositories/{repo}/pullrequests.
  expect(harness.lastCall()).toMatchObject({
    path: `/${ORG}/SecOps/_apis/git/repositories/secops-playbooks/pullrequests`,
    query: { "api-version": "7.1", "searchCriteria.status": "all", $top: "50" },
  });
  expect((pulls.outputs as Array<{ pullRequestId: number }>).map((pull) => pull.pullRequestId)).toEqual([
    42, 41, 37,
  ]);
  const active = await run("azure-devops-pull-request-list");
  expect(active.readable).toContain("|42|Block Fabrikam phishing domain|active|Adele Vance|");
  expect((active.outputs as unknown[]).length).toBe(2);

  const branches = await run("azure-devops-branch-list");
  // git/refs/list: GET …/refs?filter=heads/.
  expect(harness.lastCall()).toMatchObject({
    path: `/${ORG}/SecOps/_apis/git/repositories/secops-playbooks/refs`,
    query: { "api-version": "7.1", filter: "heads/" },
  });
  expect((branches.outputs as Array<{ name: string }>).map((branch) => branch.name)).toEqual([
    "refs/heads/main",
    "refs/heads/block-fabrikam",
    "refs/heads/impossible-travel",
  ]);

  const item = await run("azure-devops-work-item-get", { item_id: "101" });
  // wit/work-items/get-work-item: GET {org}/{project}/_apis/wit/workitems/{id}.
  expect(harness.lastCall()).toMatchObject({
    path: `/${ORG}/SecOps/_apis/wit/workitems/101`,
    query: { "api-version": "7.1" },
  });
  expect(item.readable).toContain("|101|Impossible-travel rule misses VPN egress|Bug|Active|Adele Vance|");
}

describe("through client credentials", () => {
  it("projects, pull requests, branches and a work item", async () => {
    await everyCommand((command, args) => harness.run(command, args));
  });

  it("Azure DevOps' own errors: an unknown work item, project or repository", async () => {
    await expect(harness.run("azure-devops-work-item-get", { item_id: "999" })).rejects.toThrow(
      "TF401232: Work item 999 does not exist, or you do not have permissions to read it.",
    );
    await expect(harness.run("azure-devops-branch-list", { project: "Nope" })).rejects.toThrow(
      "TF200016: The following project does not exist: Nope.",
    );
    await expect(harness.run("azure-devops-branch-list", { repository: "nope" })).rejects.toThrow(
      "TF401019: The Git repository with name or identifier nope does not exist",
    );
  });
});

describe("XSOAR's arguments", () => {
  it("azure-devops-work-item-get takes organization_name and project_name, the instance's by default", async () => {
    const item = await harness.run("azure-devops-work-item-get", {
      organization_name: ORG,
      project_name: "SecOps",
      item_id: "101",
    });
    // wit/work-items/get-work-item: GET https://dev.azure.com/{organization}/{project}/_apis/wit/workitems/{id}.
    expect(harness.lastCall()).toMatchObject({
      method: "GET",
      host: "dev.azure.com",
      path: `/${ORG}/SecOps/_apis/wit/workitems/101`,
      query: { "api-version": "7.1" },
    });
    expect(item.readable).toContain("|101|Impossible-travel rule misses VPN egress|Bug|Active|Adele Vance|");
    await expect(
      harness.run("azure-devops-work-item-get", { project_name: "Nope", item_id: "101" }),
    ).rejects.toThrow("TF200016: The following project does not exist: Nope.");
    expect(harness.lastCall().path).toBe(`/${ORG}/Nope/_apis/wit/workitems/101`);
  });

  it("the lists return XSOAR's page (from 1) of limit entries", async () => {
    const projects = await harness.run("azure-devops-project-list", { limit: "1", page: "2" });
    expect(harness.lastCall().query).toMatchObject({ $top: "2" });
    expect((projects.outputs as Array<{ name: string }>).map((project) => project.name)).toEqual([
      "Retail Web",
    ]);
    const branches = await harness.run("azure-devops-branch-list", { limit: "1", page: "2" });
    expect((branches.outputs as Array<{ name: string }>).map((branch) => branch.name)).toEqual([
      "refs/heads/block-fabrikam",
    ]);
    const pulls = await harness.run("azure-devops-pull-request-list", {
      status: "all",
      limit: "2",
      page: "2",
    });
    expect(harness.lastCall().query).toMatchObject({ $top: "4" });
    expect((pulls.outputs as Array<{ pullRequestId: number }>).map((pull) => pull.pullRequestId)).toEqual([
      37,
    ]);
  });

  it("the Client ID defaults to XSOAR's built-in client (AzureDevOps.yml)", () => {
    const appId = integration.parameters.find((parameter) => parameter.key === "auth_id");
    expect(appId?.defaultValue).toBe("8f8ed6e7-3207-4ebd-885d-6413b601088c");
  });
});

describe("through the user flows", () => {
  it("device code: the demo user approves the code", async () => {
    const publicClient = harness.emulator.seed.tenants[0]!.apps.find((app) => app.publicClient)!;
    const instance = await harness.instance({
      ...PARAMS,
      self_deployed: true,
      auth_type: "Device Code",
      auth_id: publicClient.clientId,
      enc_key: undefined,
    });
    const start = await instance.run("azure-devops-auth-start");
    harness.emulator.approveDeviceCode((start.outputs as { UserCode: string }).UserCode, DEMO_USER_UPN);
    await instance.run("azure-devops-auth-complete");
    await everyCommand((command, args) => instance.run(command, args));
  });

  it("authorization code: the demo user signs in", async () => {
    const instance = await harness.instance({
      ...PARAMS,
      self_deployed: true,
      auth_type: "Authorization Code",
      redirect_uri: "http://localhost:8400/callback",
    });
    const login = await instance.run("azure-devops-generate-login-url");
    const loginUrl = (login.outputs as { LoginUrl: string }).LoginUrl;
    expect(new URL(loginUrl).searchParams.get("scope")).toContain(
      "499b84ac-1321-427f-aa17-267ca6975798/user_impersonation",
    );
    await instance.set({ auth_code: await harness.signIn(loginUrl) });
    await everyCommand((command, args) => instance.run(command, args));
    const test = await instance.run("azure-devops-test");
    expect(test.readable).toContain("authenticated with Authorization Code and reached:");
  });
});

describe("-test and access", () => {
  it("azure-devops-test lists one project and names what it reached", async () => {
    const result = await harness.run("azure-devops-test");
    const devops = harness.emulator.requests.filter((request) => request.service === "azure-devops");
    expect(devops.map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET /${ORG}/_apis/projects`,
    ]);
    expect(result.readable).toContain("authenticated with Client Credentials and reached:");
    expect(result.readable).toContain(`- Azure DevOps: GET dev.azure.com/${ORG}/_apis/projects → 200`);
  });

  it("a service principal that is not a user of the organization: TF400813", async () => {
    const error = await harness
      .run("azure-devops-test", {}, noGrant)
      .catch((caught: unknown) => caught as Error);
    expect(String(error)).toContain(
      `could not reach Azure DevOps: GET dev.azure.com/${ORG}/_apis/projects answered HTTP 401`,
    );
    expect(String(error)).toContain("TF400813");
  });
});
