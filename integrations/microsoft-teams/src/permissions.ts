// Permissions: the "Permissions" table of each call's page under learn.microsoft.com/graph/api/, least privileged
// first (backward-compatibility entries such as Group.ReadWrite.All last).

/** teams-list: what `-test` reads, and how a team is found by name. */
export const TEAMS_LIST = {
  application: [
    "Team.ReadBasic.All",
    "TeamSettings.Read.All",
    "TeamSettings.ReadWrite.All",
    "Directory.Read.All",
  ],
  delegated: [
    "Team.ReadBasic.All",
    "TeamSettings.Read.All",
    "TeamSettings.ReadWrite.All",
    "Directory.Read.All",
  ],
};

/** channel-list: how a channel is found by name. */
export const CHANNELS_LIST = {
  application: ["Channel.ReadBasic.All", "ChannelSettings.Read.All", "ChannelSettings.ReadWrite.All"],
  delegated: ["Channel.ReadBasic.All", "ChannelSettings.Read.All", "ChannelSettings.ReadWrite.All"],
};

/** user-get: how a user is found by principal name or mail. */
export const USER_GET = {
  application: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  delegated: ["User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All"],
};

/** channel-list-members. */
export const CHANNEL_MEMBERS_READ = {
  application: ["ChannelMember.Read.All", "ChannelMember.ReadWrite.All"],
  delegated: ["ChannelMember.Read.All", "ChannelMember.ReadWrite.All"],
};

/** channel-post-members, channel-delete-members. */
export const CHANNEL_MEMBERS_WRITE = {
  application: ["ChannelMember.ReadWrite.All"],
  delegated: ["ChannelMember.ReadWrite.All"],
};

/** chat-list (GET /chats is delegated only). */
export const CHATS_LIST = { delegated: ["Chat.ReadBasic", "Chat.Read", "Chat.ReadWrite"] };

/** chat-get. */
export const CHAT_GET = {
  application: ["Chat.ReadBasic.All", "Chat.Read.All", "Chat.ReadWrite.All"],
  delegated: ["Chat.ReadBasic", "Chat.Read", "Chat.ReadWrite"],
};
