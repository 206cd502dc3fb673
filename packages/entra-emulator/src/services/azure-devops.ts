import type { RouteContext, RouteResponse } from "../types.js";
import type { EmulatedService, ServiceRoute } from "./types.js";

// Azure DevOps Services (dev.azure.com/{organization}): projects, Git repositories with pull requests and branches,
// work items. Every call names its `api-version` (learn.microsoft.com/rest/azure/devops/?view=azure-devops-rest-7.1).
// Access is organization membership, not token roles: an app registration that holds no permission at all stands
// for a service principal that was never added to the organization.

/** Azure DevOps' application ID: the audience of its tokens. */
export const AZURE_DEVOPS_APP_ID = "499b84ac-1321-427f-aa17-267ca6975798";
const LATEST_API_VERSION = "7.2";

/** Azure DevOps' error body (`$id`, `message`, `typeName`, `typeKey`, `errorCode`, `eventId`). */
function devopsError(
  context: RouteContext,
  status: number,
  typeKey: string,
  typeName: string,
  message: string,
  eventId = 3000,
): RouteResponse {
  return context.json(status, {
    $id: "1",
    innerException: null,
    message,
    typeName: `${typeName}, Microsoft.VisualStudio.Services.WebApi`,
    typeKey,
    errorCode: 0,
    eventId,
  });
}

/** `api-version` as Azure DevOps checks it: present, well-formed, not newer than the service. */
function checkApiVersion(context: RouteContext): RouteResponse | undefined {
  const version = context.query["api-version"];
  if (version === undefined || version === "") {
    return devopsError(
      context,
      400,
      "VssVersionNotSpecifiedException",
      "Microsoft.VisualStudio.Services.WebApi.VssVersionNotSpecifiedException",
      `No api-version was supplied for the "${context.method}" request. The version "${LATEST_API_VERSION}" should be used.`,
    );
  }
  const match = /^(\d+)\.(\d+)(-preview(\.\d+)?)?$/.exec(version);
  if (!match) {
    return devopsError(
      context,
      400,
      "VssInvalidApiVersionException",
      "Microsoft.VisualStudio.Services.WebApi.VssInvalidApiVersionException",
      `The api-version '${version}' is not valid.`,
    );
  }
  const requested = Number(`${match[1]}.${match[2]}`);
  if (requested > Number(LATEST_API_VERSION) || (requested === Number(LATEST_API_VERSION) && !match[3])) {
    return devopsError(
      context,
      400,
      "VssVersionOutOfRangeException",
      "Microsoft.VisualStudio.Services.WebApi.VssVersionOutOfRangeException",
      `The requested REST API version of ${match[1]}.${match[2]} is out of range for this server. The latest REST API version for this server is ${LATEST_API_VERSION}.`,
    );
  }
  return undefined;
}

/** Organization membership: a service principal without any grant is not a user of the organization. */
function checkMember(context: RouteContext): RouteResponse | undefined {
  const app = context.tenant?.apps.find((candidate) => candidate.clientId === context.claims.appid);
  const appOnly = context.claims.scp === undefined;
  const member = appOnly
    ? !app || Object.values(app.grants ?? {}).some((roles) => roles.length > 0)
    : /\b(user_impersonation|vso\.\w+)\b/.test(context.claims.scp ?? "");
  if (member) return undefined;
  return devopsError(
    context,
    401,
    "UnauthorizedRequestException",
    "Microsoft.VisualStudio.Services.WebApi.UnauthorizedRequestException",
    `TF400813: The user '${context.claims.oid}' is not authorized to access this resource.`,
  );
}

const person = (name: string, alias: string, id: string) => ({
  displayName: name,
  uniqueName: `${alias}@contoso.onmicrosoft.com`,
  id,
  imageUrl: `https://dev.azure.com/_apis/GraphProfile/MemberAvatars/aad.${id}`,
});
const ADELE = person("Adele Vance", "adelev", "6e7b768e-07e2-4810-8459-485f84f8f204");
const ALEX = person("Alex Wilber", "alexw", "87d349ed-44d7-43e1-9a83-5f2406dee5bd");

const PROJECTS = [
  {
    id: "8d2c6a8e-1f4b-4c5d-9e7f-0a1b2c3d4e5f",
    name: "SecOps",
    description: "Detection rules and playbooks.",
    state: "wellFormed",
    revision: 412,
    visibility: "private",
    lastUpdateTime: "2026-11-30T09:00:00Z",
  },
  {
    id: "2e4f6a8c-0b1d-4e3f-8a5c-7e9b1d3f5a7c",
    name: "Retail Web",
    description: "The store front.",
    state: "wellFormed",
    revision: 97,
    visibility: "private",
    lastUpdateTime: "2026-10-02T14:30:00Z",
  },
];
const REPOSITORIES = [
  {
    id: "5f3a1c2e-7b9d-4f1a-8c3e-5a7b9c1d3e5f",
    name: "secops-playbooks",
    project: 0,
    defaultBranch: "refs/heads/main",
  },
  {
    id: "9b7d5f3a-1c2e-4a6b-8d0f-2e4a6c8e0b2d",
    name: "storefront",
    project: 1,
    defaultBranch: "refs/heads/main",
  },
];

const PULL_REQUESTS = [
  {
    pullRequestId: 42,
    title: "Block Fabrikam phishing domain",
    status: "active",
    createdBy: ADELE,
    sourceRefName: "refs/heads/block-fabrikam",
    targetRefName: "refs/heads/main",
    repository: 0,
    creationDate: "2026-12-01T10:00:00Z",
    isDraft: false,
    mergeStatus: "succeeded",
  },
  {
    pullRequestId: 41,
    title: "Tune impossible-travel rule",
    status: "active",
    createdBy: ALEX,
    sourceRefName: "refs/heads/impossible-travel",
    targetRefName: "refs/heads/main",
    repository: 0,
    creationDate: "2026-11-28T15:00:00Z",
    isDraft: true,
    mergeStatus: "succeeded",
  },
  {
    pullRequestId: 37,
    title: "Add MFA fatigue playbook",
    status: "completed",
    createdBy: ADELE,
    sourceRefName: "refs/heads/mfa-fatigue",
    targetRefName: "refs/heads/main",
    repository: 0,
    creationDate: "2026-11-10T09:00:00Z",
    isDraft: false,
    mergeStatus: "succeeded",
  },
  {
    pullRequestId: 12,
    title: "Holiday banner",
    status: "abandoned",
    createdBy: ALEX,
    sourceRefName: "refs/heads/banner",
    targetRefName: "refs/heads/main",
    repository: 1,
    creationDate: "2026-10-01T09:00:00Z",
    isDraft: false,
    mergeStatus: "conflicts",
  },
];
const BRANCHES = ["main", "block-fabrikam", "impossible-travel"].map((name, index) => ({
  name: `refs/heads/${name}`,
  objectId: `${"4be3c0f2a91d7e5b6c8a0f1e2d3c4b5a69788796".slice(index)}${"0".repeat(index)}`,
  creator: index === 2 ? ALEX : ADELE,
}));
const WORK_ITEMS = [
  {
    id: 101,
    rev: 7,
    fields: {
      "System.AreaPath": "SecOps",
      "System.TeamProject": "SecOps",
      "System.IterationPath": "SecOps\\Sprint 48",
      "System.WorkItemType": "Bug",
      "System.State": "Active",
      "System.Reason": "Approved",
      "System.AssignedTo": ADELE,
      "System.CreatedDate": "2026-11-29T08:00:00Z",
      "System.CreatedBy": ALEX,
      "System.Title": "Impossible-travel rule misses VPN egress",
      "Microsoft.VSTS.Common.Priority": 1,
    },
  },
  {
    id: 102,
    rev: 2,
    fields: {
      "System.AreaPath": "SecOps",
      "System.TeamProject": "SecOps",
      "System.IterationPath": "SecOps\\Sprint 48",
      "System.WorkItemType": "Task",
      "System.State": "New",
      "System.Reason": "New",
      "System.CreatedDate": "2026-12-01T08:00:00Z",
      "System.CreatedBy": ADELE,
      "System.Title": "Rotate the SOAR service principal's secret",
      "Microsoft.VSTS.Common.Priority": 2,
    },
  },
];

function devopsRoutes(): ServiceRoute[] {
  const base = (context: RouteContext) =>
    `https://dev.azure.com/${encodeURIComponent(context.params["org"] ?? "")}`;
  const projectOf = (context: RouteContext) => {
    const wanted = (context.params["project"] ?? "").toLowerCase();
    return PROJECTS.findIndex((project) => project.id === wanted || project.name.toLowerCase() === wanted);
  };
  const noProject = (context: RouteContext) =>
    devopsError(
      context,
      404,
      "ProjectDoesNotExistWithNameException",
      "Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException",
      `TF200016: The following project does not exist: ${context.params["project"]}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`,
    );
  const repositoryOf = (context: RouteContext): number | RouteResponse => {
    const project = projectOf(context);
    if (project < 0) return noProject(context);
    const wanted = (context.params["repo"] ?? "").toLowerCase();
    const index = REPOSITORIES.findIndex(
      (repo) => repo.project === project && (repo.id === wanted || repo.name.toLowerCase() === wanted),
    );
    return index >= 0
      ? index
      : devopsError(
          context,
          404,
          "GitRepositoryNotFoundException",
          "Microsoft.TeamFoundation.Git.Server.GitRepositoryNotFoundException",
          `TF401019: The Git repository with name or identifier ${context.params["repo"]} does not exist or you do not have permissions for the operation you are attempting.`,
        );
  };
  const repositoryView = (context: RouteContext, index: number) => {
    const repo = REPOSITORIES[index]!;
    const project = PROJECTS[repo.project]!;
    return {
      id: repo.id,
      name: repo.name,
      url: `${base(context)}/${project.id}/_apis/git/repositories/${repo.id}`,
      project: { id: project.id, name: project.name, state: project.state, visibility: project.visibility },
      defaultBranch: repo.defaultBranch,
    };
  };
  const guarded = (path: string, handler: (context: RouteContext) => RouteResponse): ServiceRoute => ({
    method: "GET",
    path,
    handler: (context) => checkMember(context) ?? checkApiVersion(context) ?? handler(context),
  });
  const top = (context: RouteContext) => Number(context.query["$top"] ?? "100") || 100;
  return [
    guarded("/:org/_apis/projects", (context) => {
      const value = PROJECTS.slice(0, top(context)).map((project) => ({
        ...project,
        url: `${base(context)}/_apis/projects/${project.id}`,
      }));
      return context.json(200, { count: value.length, value });
    }),
    guarded("/:org/:project/_apis/git/repositories/:repo/pullrequests", (context) => {
      const repo = repositoryOf(context);
      if (typeof repo !== "number") return repo;
      const status = (context.query["searchCriteria.status"] ?? "active").toLowerCase();
      const value = PULL_REQUESTS.filter(
        (pull) => pull.repository === repo && (status === "all" || pull.status === status),
      )
        .slice(0, top(context))
        .map(({ repository: _repository, ...pull }) => ({
          ...pull,
          repository: repositoryView(context, repo),
          url: `${repositoryView(context, repo).url}/pullRequests/${pull.pullRequestId}`,
        }));
      return context.json(200, { value, count: value.length });
    }),
    guarded("/:org/:project/_apis/git/repositories/:repo/refs", (context) => {
      const repo = repositoryOf(context);
      if (typeof repo !== "number") return repo;
      const filter = context.query["filter"] ?? "";
      const value = (REPOSITORIES[repo]!.project === 0 ? BRANCHES : BRANCHES.slice(0, 1))
        .filter((branch) => branch.name.startsWith(`refs/${filter}`))
        .map((branch) => ({
          ...branch,
          url: `${repositoryView(context, repo).url}/refs?filter=${encodeURIComponent(branch.name.slice(5))}`,
        }));
      return context.json(200, { value, count: value.length });
    }),
    guarded("/:org/:project/_apis/wit/workitems/:id", (context) => {
      if (projectOf(context) < 0) return noProject(context);
      const item = WORK_ITEMS.find((candidate) => String(candidate.id) === context.params["id"]);
      if (!item) {
        return context.json(404, {
          $id: "1",
          innerException: null,
          message: `TF401232: Work item ${context.params["id"]} does not exist, or you do not have permissions to read it.`,
          typeName:
            "Microsoft.TeamFoundation.WorkItemTracking.Server.WorkItemUnauthorizedAccessException, Microsoft.TeamFoundation.WorkItemTracking.Server",
          typeKey: "WorkItemUnauthorizedAccessException",
          errorCode: 0,
          eventId: 3200,
        });
      }
      return context.json(200, { ...item, url: `${base(context)}/_apis/wit/workItems/${item.id}` });
    }),
  ];
}

/** Azure DevOps Services. */
export const azureDevOpsService: EmulatedService = {
  key: "azure-devops",
  displayName: "Azure DevOps",
  audiences: [AZURE_DEVOPS_APP_ID],
  hosts: /^dev\.azure\.com$/i,
  // A user's token for Azure DevOps carries `user_impersonation`; access is then organization membership.
  demoScopes: ["user_impersonation"],
  routes: devopsRoutes,
};
