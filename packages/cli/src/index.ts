export { buildProgram, main } from "./main.js";
export { INTEGRATION_LOADERS, integrationIds, loadAllIntegrations, loadIntegration } from "./registry.js";
export { msintHome, openStore } from "./store.js";
