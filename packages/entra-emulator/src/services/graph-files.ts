import { createHash } from "node:crypto";
import { ODataError } from "../graph/odata.js";
import type { RouteContext } from "../types.js";
import { filesDenial, type GraphAccess, page, route, selected } from "./graph-m365-shared.js";
import type { ServiceRoute } from "./types.js";

// SharePoint sites, their document libraries and OneDrive drives, with folders and files.

/** site-search, site-get (learn.microsoft.com/graph/api/site-search). */
export const SITES_READ: GraphAccess = {
  application: ["Sites.Read.All", "Sites.ReadWrite.All"],
  delegated: ["Sites.Read.All", "Sites.ReadWrite.All"],
};
/** drive-list, drive-get, driveitem-list-children, driveitem-get. */
export const FILES_READ: GraphAccess = {
  application: ["Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All"],
  delegated: [
    "Files.Read",
    "Files.ReadWrite",
    "Files.Read.All",
    "Files.ReadWrite.All",
    "Sites.Read.All",
    "Sites.ReadWrite.All",
  ],
};

const HOST = "contoso.sharepoint.com";

/** Seeded sites; a site ID is `{hostname},{site collection id},{web id}`. */
const SITES = [
  {
    id: `${HOST},2c712604-1370-44e7-a1f5-426573fda80a,2d2244c3-251a-49ea-93a8-39e1c3a060fe`,
    name: "SecOps",
    displayName: "Security Operations",
    webUrl: `https://${HOST}/sites/SecOps`,
    createdDateTime: "2025-03-14T10:20:00Z",
    description: "Runbooks, incident reports and evidence.",
  },
  {
    id: `${HOST},8a5d0e3c-4b1f-4c2e-9d7a-6f1e2b3c4d5e,1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b`,
    name: "Retail",
    displayName: "Retail Marketing",
    webUrl: `https://${HOST}/sites/Retail`,
    createdDateTime: "2025-05-02T08:00:00Z",
    description: "Campaign material.",
  },
];

/** Team groups own a SharePoint site too: their drive is reached as /groups/{id}/drive. */
export const TEAM_GROUP_DRIVES: Record<string, number> = {
  "02bd9fd6-8f93-4758-87c3-1fb73740a315": 0,
  "13be6971-79db-4f33-9d41-b25589ca25af": 1,
};

type Item = Record<string, unknown> & { id: string; name: string; parent: string };
interface Drive {
  drive: Record<string, unknown> & { id: string };
  owner: { kind: "site" | "user"; id: string };
  items: Item[];
}

function seedDrives(users: Array<{ id: string; displayName: string; userPrincipalName: string }>): Drive[] {
  const drives: Drive[] = [];
  const driveFor = (
    owner: Drive["owner"],
    name: string,
    driveType: string,
    webUrl: string,
    index: number,
  ) => {
    const id = `b!${createHash("sha256").update(`${owner.id}:${name}`).digest("base64url").slice(0, 40)}`;
    const file = (parent: string, fileName: string, size: number, mimeType: string, at: string): Item => ({
      id: `01${createHash("sha1").update(`${id}/${fileName}`).digest("hex").slice(0, 32).toUpperCase()}`,
      name: fileName,
      parent,
      size,
      createdDateTime: at,
      lastModifiedDateTime: at,
      webUrl: `${webUrl}/${encodeURIComponent(fileName)}`,
      file: { mimeType, hashes: { quickXorHash: "dGVzdGhhc2g=" } },
      parentReference: { driveId: id, driveType },
    });
    const folder = file("root", "Incident reports", 0, "", "2026-10-01T12:00:00Z");
    delete folder["file"];
    folder["folder"] = { childCount: 2 };
    const entry: Drive = {
      drive: {
        id,
        name,
        driveType,
        description: "",
        webUrl,
        createdDateTime: "2025-03-14T10:20:00Z",
        lastModifiedDateTime: "2026-11-30T09:00:00Z",
        quota: { total: 27487790694400, used: 104857600 + index, remaining: 27487685836800, state: "normal" },
      },
      owner,
      items: [
        folder,
        file(
          "root",
          "Phishing runbook.docx",
          48213,
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "2026-09-12T08:30:00Z",
        ),
        file("root", "IOC list.csv", 1834, "text/csv", "2026-11-29T17:05:00Z"),
        file(folder.id, "INC-4711 summary.pdf", 220431, "application/pdf", "2026-11-30T09:00:00Z"),
        file(
          folder.id,
          "INC-4702 timeline.xlsx",
          35120,
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "2026-11-21T13:40:00Z",
        ),
      ],
    };
    drives.push(entry);
  };
  SITES.forEach((site, index) => {
    driveFor(
      { kind: "site", id: site.id },
      "Documents",
      "documentLibrary",
      `${site.webUrl}/Shared%20Documents`,
      index,
    );
    driveFor({ kind: "site", id: site.id }, "Evidence", "documentLibrary", `${site.webUrl}/Evidence`, index);
  });
  users.forEach((user, index) => {
    const alias = user.userPrincipalName.replace(/[@.]/g, "_");
    driveFor(
      { kind: "user", id: user.id },
      "OneDrive",
      "business",
      `https://contoso-my.sharepoint.com/personal/${alias}/Documents`,
      index,
    );
  });
  return drives;
}

function notFound(): ODataError {
  return new ODataError("itemNotFound", "The resource could not be found.", 404);
}

/** The files routes over a fresh copy of the seeded sites and drives. */
export function filesRoutes(): ServiceRoute[] {
  let drives: Drive[] | undefined;
  const all = (context: RouteContext) => {
    drives ??= seedDrives(context.tenant?.users ?? []);
    return drives;
  };
  const siteOf = (id: string) => {
    const site = SITES.find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
    if (!site) throw new ODataError("itemNotFound", "Requested site could not be found", 404);
    return site;
  };
  const byId = (context: RouteContext, id: string) => {
    const found = all(context).find((entry) => entry.drive.id === id);
    if (!found) throw notFound();
    return found;
  };
  /** The default drive of a site, group (its team site) or user. */
  const defaultDrive = (context: RouteContext, kind: string, id: string) => {
    const drives = all(context);
    if (kind === "sites") return drives.find((entry) => entry.owner.id === siteOf(id).id)!;
    if (kind === "groups") {
      const index = TEAM_GROUP_DRIVES[id.toLowerCase()];
      if (index === undefined) throw notFound();
      return drives.find((entry) => entry.owner.id === SITES[index]!.id)!;
    }
    const user = (context.tenant?.users ?? []).find(
      (candidate) => candidate.id === id || candidate.userPrincipalName.toLowerCase() === id.toLowerCase(),
    );
    const found = user && drives.find((entry) => entry.owner.id === user.id);
    if (!found) throw notFound();
    return found;
  };
  const children = (context: RouteContext, drive: Drive, item: string | undefined) => {
    const parent = item === undefined ? "root" : drive.items.find((candidate) => candidate.id === item)?.id;
    if (!parent) throw notFound();
    const rows = drive.items
      .filter((candidate) => candidate.parent === parent)
      .map(({ parent: _p, ...rest }) => rest);
    return page(context, rows, { defaultTop: 200, maxTop: 999 });
  };
  const routes: ServiceRoute[] = [
    route("GET", "/v1.0/sites", SITES_READ, filesDenial, (context) => {
      const keyword = (context.query["search"] ?? "*").replace(/"/g, "").toLowerCase();
      const found = SITES.filter(
        (site) =>
          keyword === "*" ||
          keyword === "" ||
          `${site.name} ${site.displayName} ${site.description}`.toLowerCase().includes(keyword),
      );
      return page(context, found, { defaultTop: 200, maxTop: 999 });
    }),
    route("GET", "/v1.0/sites/:site", SITES_READ, filesDenial, (context) =>
      context.json(200, selected(siteOf(context.params["site"]!), context.query["$select"])),
    ),
    route("GET", "/v1.0/sites/:site/drives", FILES_READ, filesDenial, (context) => {
      const site = siteOf(context.params["site"]!);
      const found = all(context)
        .filter((entry) => entry.owner.id === site.id)
        .map((entry) => entry.drive);
      return page(context, found, { defaultTop: 200, maxTop: 999 });
    }),
    route("GET", "/v1.0/drives/:drive", FILES_READ, filesDenial, (context) =>
      context.json(200, byId(context, context.params["drive"]!).drive),
    ),
    route("GET", "/v1.0/drives/:drive/root/children", FILES_READ, filesDenial, (context) =>
      children(context, byId(context, context.params["drive"]!), undefined),
    ),
    route("GET", "/v1.0/drives/:drive/items/:item/children", FILES_READ, filesDenial, (context) =>
      children(context, byId(context, context.params["drive"]!), context.params["item"]),
    ),
    route("GET", "/v1.0/drives/:drive/items/:item", FILES_READ, filesDenial, (context) => {
      const found = byId(context, context.params["drive"]!).items.find(
        (item) => item.id === context.params["item"],
      );
      if (!found) throw notFound();
      const { parent: _parent, ...rest } = found;
      return context.json(200, rest);
    }),
  ];
  for (const kind of ["sites", "groups", "users"]) {
    routes.push(
      route("GET", `/v1.0/${kind}/:owner/drive`, FILES_READ, filesDenial, (context) =>
        context.json(200, defaultDrive(context, kind, context.params["owner"]!).drive),
      ),
      route("GET", `/v1.0/${kind}/:owner/drive/root/children`, FILES_READ, filesDenial, (context) =>
        children(context, defaultDrive(context, kind, context.params["owner"]!), undefined),
      ),
      route("GET", `/v1.0/${kind}/:owner/drive/items/:item/children`, FILES_READ, filesDenial, (context) =>
        children(context, defaultDrive(context, kind, context.params["owner"]!), context.params["item"]),
      ),
    );
  }
  return routes;
}
