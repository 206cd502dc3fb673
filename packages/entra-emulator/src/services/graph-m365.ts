import { calendarRoutes } from "./graph-calendar.js";
import { chatRoutes } from "./graph-chats.js";
import { filesRoutes } from "./graph-files.js";
import { mailRoutes } from "./graph-mail.js";
import { teamsRoutes } from "./graph-teams.js";
import type { EmulatedService } from "./types.js";

/**
 * Microsoft Graph's Microsoft 365 workloads: Outlook mail and calendars of every user, SharePoint sites and OneDrive
 * drives, Teams (teams, members, channels, chats, messages, online meetings). Each call checks the permissions its API
 * reference lists and answers 403 the way that workload does.
 */
export const graphM365Service: EmulatedService = {
  key: "graph",
  displayName: "Microsoft Graph (mail, calendar, files, Teams)",
  // Graph's audiences are the emulator's own built-in resource (resources.ts): listing them here would make them
  // "built-in service" audiences that a test's registerResource under another key could take over.
  audiences: [],
  dialect: "graph",
  hosts: /^(graph\.microsoft\.(com|us)|dod-graph\.microsoft\.us|microsoftgraph\.chinacloudapi\.cn)$/i,
  demoRoles: [
    "Mail.ReadWrite",
    "Mail.Send",
    "Calendars.ReadWrite",
    "Sites.ReadWrite.All",
    "Files.ReadWrite.All",
    "Team.ReadBasic.All",
    "TeamSettings.ReadWrite.All",
    "TeamMember.ReadWrite.All",
    "Channel.ReadBasic.All",
    "Channel.Create",
    "ChannelMember.ReadWrite.All",
    "ChannelMessage.Read.All",
    "OnlineMeetings.ReadWrite.All",
    "Chat.Read.All",
    "Channel.Delete.All",
    "Chat.Create",
    "ChatMember.ReadWrite.All",
    "Chat.ReadWrite.All",
  ],
  demoScopes: [
    "Mail.ReadWrite",
    "Mail.Send",
    "Calendars.ReadWrite",
    "Sites.Read.All",
    "Files.ReadWrite.All",
    "Team.ReadBasic.All",
    "TeamSettings.ReadWrite.All",
    "TeamMember.ReadWrite.All",
    "Channel.ReadBasic.All",
    "Channel.Create",
    "ChannelMember.ReadWrite.All",
    "ChannelMessage.Send",
    "OnlineMeetings.ReadWrite",
    "Chat.ReadWrite",
    "ChatMessage.Send",
    "Channel.Delete.All",
  ],
  routes: () => [...mailRoutes(), ...calendarRoutes(), ...filesRoutes(), ...teamsRoutes(), ...chatRoutes()],
};
