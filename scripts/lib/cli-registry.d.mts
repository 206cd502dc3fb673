export declare const CLI_REGISTRY_PATH: string;
export declare function workspaceIntegrations(root: string): { id: string; name: string }[];
export declare function renderCliRegistry(root: string): string;
export declare function writeCliRegistry(root: string): boolean;
