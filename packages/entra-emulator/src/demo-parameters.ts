/**
 * Values of the demo seed's data for integrations' own instance parameters (subscription, resource group,
 * workspace, storage account, vault …), by parameter key: what `msint emulator --instances` fills in so that its
 * lines work as pasted. Each service module's seeded data owns the value; keep them in step.
 */
export const DEMO_INSTANCE_PARAMETERS: Readonly<Record<string, string>> = {};
