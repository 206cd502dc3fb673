import { azureDevOps, defineIntegration } from "@msint/integration-kit";
import packageJson from "../package.json" with { type: "json" };
import { getWorkItem, listBranches, listProjects, listPullRequests } from "./devops.js";

const projectArgument = {
  name: "project",
  description: "The project (default: the instance's Default project).",
} as const;
const repositoryArgument = {
  name: "repository",
  description: "The repository (default: the instance's Default repository).",
} as const;

const limitArgument = {
  name: "limit",
  description: "The most entries per page (1-1000).",
  defaultValue: "50",
} as const;
const pageArgument = {
  name: "page",
  description: "The page to return, from 1 (pages of limit entries).",
  defaultValue: "1",
} as const;

// Permissions: a service principal gets no app roles in Azure DevOps tokens (it is added to the organization as a
// user); a user's token carries user_impersonation or the call's vso.* scope, listed under "Scopes" of each
// call's page under learn.microsoft.com/rest/api/azure/devops/.
const ORGANIZATION_USER = "a user of the organization with access to the project";

/**
 * AzureDevOps: projects, repositories, pull requests and work items of an Azure DevOps organization.
 * Command and argument names and the built-in client ID are XSOAR's, from demisto/content
 * Packs/AzureDevOps/Integrations/AzureDevOps/AzureDevOps.yml (data/xsoar/azure-devops.json).
 */
export default defineIntegration({
  id: "azure-devops",
  version: packageJson.version,
  displayName: "AzureDevOps",
  commandPrefix: "azure-devops",
  description:
    "Lists projects, pull requests and branches, and gets work items of an Azure DevOps organization.",
  flows: {
    xsoarApp: "yes",
    clientCredentials: true,
    deviceCode: true,
    authorizationCode: true,
    managedIdentities: false,
    nationalClouds: false,
  },
  // XSOAR's "Client ID" default: the Cortex XSOAR public client used with device code (no broker app name).
  builtInClientId: "8f8ed6e7-3207-4ebd-885d-6413b601088c",
  resource: azureDevOps({ application: [".default"], delegated: ["user_impersonation", "offline_access"] }),
  permissions: {
    application: ["A user entry for the service principal in the organization (Basic access)"],
    delegated: ["Azure DevOps user_impersonation"],
  },
  parameters: [
    {
      key: "project",
      displayName: "Default project",
      type: "string",
      help: "The project commands use when they get no project argument.",
    },
    {
      key: "repository",
      displayName: "Default repository",
      type: "string",
      help: "The Git repository commands use when they get no repository argument.",
    },
  ],
  commands: {
    "azure-devops-project-list": {
      description: "Lists the organization's projects.",
      arguments: [pageArgument, limitArgument],
      outputs: [
        { path: "AzureDevOps.Project.name", type: "string", description: "The project's name." },
        { path: "AzureDevOps.Project.id", type: "string", description: "The project's ID." },
        { path: "AzureDevOps.Project.state", type: "string", description: "wellFormed, deleting …" },
        { path: "AzureDevOps.Project.visibility", type: "string", description: "private or public." },
      ],
      // core/projects/list: vso.project
      permissions: { delegated: ["vso.project", "user_impersonation"], rbac: [ORGANIZATION_USER] },
      run: listProjects,
    },
    "azure-devops-pull-request-list": {
      description: "Lists a repository's pull requests.",
      arguments: [
        projectArgument,
        repositoryArgument,
        {
          name: "status",
          description: "msint only (XSOAR lists the active ones): which pull requests.",
          defaultValue: "active",
          predefined: ["active", "abandoned", "completed", "all"],
        },
        pageArgument,
        limitArgument,
      ],
      outputs: [
        {
          path: "AzureDevOps.PullRequest.pullRequestId",
          type: "number",
          description: "The pull request's number.",
        },
        { path: "AzureDevOps.PullRequest.title", type: "string", description: "Its title." },
        {
          path: "AzureDevOps.PullRequest.status",
          type: "string",
          description: "active, abandoned or completed.",
        },
        { path: "AzureDevOps.PullRequest.createdBy.displayName", type: "string", description: "Its author." },
        { path: "AzureDevOps.PullRequest.sourceRefName", type: "string", description: "Its source branch." },
      ],
      // git/pull-requests/get-pull-requests: vso.code
      permissions: { delegated: ["vso.code", "user_impersonation"], rbac: [ORGANIZATION_USER] },
      run: listPullRequests,
    },
    "azure-devops-branch-list": {
      description: "Lists a repository's branches.",
      arguments: [projectArgument, repositoryArgument, pageArgument, limitArgument],
      outputs: [
        { path: "AzureDevOps.Branch.name", type: "string", description: "The branch's ref name." },
        { path: "AzureDevOps.Branch.objectId", type: "string", description: "Its head commit." },
      ],
      // git/refs/list: vso.code
      permissions: { delegated: ["vso.code", "user_impersonation"], rbac: [ORGANIZATION_USER] },
      run: listBranches,
    },
    "azure-devops-work-item-get": {
      description: "Gets a work item.",
      arguments: [
        {
          name: "organization_name",
          description: "The organization (default: the instance's Organization name).",
        },
        { name: "project_name", description: "The project (default: the instance's Default project)." },
        { name: "item_id", description: "The work item's ID.", required: true },
      ],
      outputs: [
        { path: "AzureDevOps.WorkItem.id", type: "number", description: "The work item's ID." },
        { path: "AzureDevOps.WorkItem.fields.System.Title", type: "string", description: "Its title." },
        { path: "AzureDevOps.WorkItem.fields.System.State", type: "string", description: "Its state." },
      ],
      // wit/work-items/get-work-item: vso.work
      permissions: { delegated: ["vso.work", "user_impersonation"], rbac: [ORGANIZATION_USER] },
      run: getWorkItem,
    },
  },
  async test({ api }) {
    await api.get("/_apis/projects", { "api-version": "7.1", $top: 1 }, { expect: "collection" });
  },
});
