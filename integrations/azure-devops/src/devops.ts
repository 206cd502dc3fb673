import {
  argumentOrParameter,
  type CommandContext,
  type CommandResult,
  limitArgument,
  tableToMarkdown,
  UsageError,
} from "@msint/integration-kit";

/** The Azure DevOps REST API version. */
export const DEVOPS_API_VERSION = "7.1";

interface DevOpsList<T> {
  count?: number;
  value?: T[];
}

const PROJECT = { key: "project", displayName: "Default project" };
const REPOSITORY = { key: "repository", displayName: "Default repository" };

/** XSOAR's page (from 1) of limit entries: the entries to ask for and where the page starts. */
function pageWindow(context: CommandContext): { top: number; skip: number } {
  const limit = limitArgument(context, 1000);
  const page = Math.max(Number.parseInt(context.args["page"] ?? "1", 10) || 1, 1);
  return { top: page * limit, skip: (page - 1) * limit };
}

/**
 * The organization's root: the instance's, or XSOAR's organization_name argument (another organization on the
 * same host, https://dev.azure.com/{organization}).
 */
function organizationRoot(context: CommandContext): string {
  const organization = context.args["organization_name"];
  if (!organization) return "";
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,48}[A-Za-z0-9]?$/.test(organization))
    throw new UsageError(`organization_name "${organization}" is not an organization name.`);
  return `${new URL(context.api.baseUrl).origin}/${encodeURIComponent(organization)}`;
}

function repositoryPath(context: CommandContext): string {
  const project = encodeURIComponent(argumentOrParameter(context, "project", PROJECT));
  const repository = encodeURIComponent(argumentOrParameter(context, "repository", REPOSITORY));
  return `/${project}/_apis/git/repositories/${repository}`;
}

/** `azure-devops-project-list`: GET /{organization}/_apis/projects. */
export async function listProjects(context: CommandContext): Promise<CommandResult> {
  const window = pageWindow(context);
  const response = await context.api.get<DevOpsList<Record<string, unknown>>>(
    "/_apis/projects",
    {
      "api-version": DEVOPS_API_VERSION,
      $top: window.top,
    },
    { expect: "collection" },
  );
  const projects = (response?.value ?? []).slice(window.skip);
  return {
    readable: tableToMarkdown("Project List", projects, [
      "name",
      "id",
      "state",
      "visibility",
      "lastUpdateTime",
    ]),
    outputsPrefix: "AzureDevOps.Project",
    outputsKeyField: "id",
    outputs: projects,
    raw: response,
  };
}

/** `azure-devops-pull-request-list`: GET /{org}/{project}/_apis/git/repositories/{repo}/pullrequests. */
export async function listPullRequests(context: CommandContext): Promise<CommandResult> {
  const response = await context.api.get<
    DevOpsList<Record<string, unknown> & { createdBy?: { displayName?: string } }>
  >(
    `${repositoryPath(context)}/pullrequests`,
    {
      "api-version": DEVOPS_API_VERSION,
      "searchCriteria.status": context.args["status"] ?? "active",
      $top: pageWindow(context).top,
    },
    { expect: "collection" },
  );
  const pullRequests = (response?.value ?? []).slice(pageWindow(context).skip);
  const rows = pullRequests.map((pullRequest) => ({
    "Pull Request ID": pullRequest["pullRequestId"],
    Title: pullRequest["title"],
    Status: pullRequest["status"],
    "Created By": pullRequest.createdBy?.displayName,
    "Source Branch": pullRequest["sourceRefName"],
    "Target Branch": pullRequest["targetRefName"],
  }));
  return {
    readable: tableToMarkdown("Pull Request List", rows),
    outputsPrefix: "AzureDevOps.PullRequest",
    outputsKeyField: "pullRequestId",
    outputs: pullRequests,
    raw: response,
  };
}

/** `azure-devops-branch-list`: GET /{org}/{project}/_apis/git/repositories/{repo}/refs?filter=heads/. */
export async function listBranches(context: CommandContext): Promise<CommandResult> {
  const response = await context.api.get<
    DevOpsList<{ name?: string; objectId?: string; creator?: { displayName?: string } }>
  >(
    `${repositoryPath(context)}/refs`,
    { "api-version": DEVOPS_API_VERSION, filter: "heads/" },
    { expect: "collection" },
  );
  const window = pageWindow(context);
  const branches = (response?.value ?? []).slice(window.skip, window.top);
  return {
    readable: tableToMarkdown(
      "Branches",
      branches.map((branch) => ({
        Name: branch.name,
        "Head Commit": branch.objectId,
        Creator: branch.creator?.displayName,
      })),
    ),
    outputsPrefix: "AzureDevOps.Branch",
    outputsKeyField: "name",
    outputs: branches,
    raw: response,
  };
}

/** `azure-devops-work-item-get`: GET /{org}/{project}/_apis/wit/workitems/{id}. */
export async function getWorkItem(context: CommandContext<{ item_id: string }>): Promise<CommandResult> {
  const project = encodeURIComponent(argumentOrParameter(context, "project_name", PROJECT));
  const item = await context.api.get<{ id?: number; fields?: Record<string, unknown> }>(
    `${organizationRoot(context)}/${project}/_apis/wit/workitems/${encodeURIComponent(context.args["item_id"])}`,
    { "api-version": DEVOPS_API_VERSION },
  );
  const fields = item.fields ?? {};
  return {
    readable: tableToMarkdown(`Work Item ${item.id}`, [
      {
        ID: item.id,
        Title: fields["System.Title"],
        Type: fields["System.WorkItemType"],
        State: fields["System.State"],
        "Assigned To": (fields["System.AssignedTo"] as { displayName?: string } | undefined)?.displayName,
      },
    ]),
    outputsPrefix: "AzureDevOps.WorkItem",
    outputsKeyField: "id",
    outputs: item,
    raw: item,
  };
}
