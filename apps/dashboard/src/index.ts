export { createDashboardApp, type DashboardAppOptions } from './create-app.ts';
export {
  ensureDashboardRole,
  dashboardRoleName,
  type DashboardRoleReport,
} from './dashboard-role.ts';
export { openDashboardDatabase, type DashboardDatabase } from './open-dashboard-database.ts';
export { createPanelCache, type PanelCache } from './panel-cache.ts';
export { panelDefinitions, pages, type PanelDefinition, type PageId } from './panel-definitions.ts';
export {
  parseDashboardParams,
  dashboardParamsSchema,
  filterDimensions,
  type DashboardFilters,
} from './dashboard-filters.ts';
export {
  startDashboard,
  dashboardAuthFromConfig,
  type DashboardServer,
  type DashboardServerOptions,
} from './start-dashboard.ts';
export { isLoopbackHost, type DashboardAuth } from './security.ts';
export { scramSha256Verifier } from './scram-verifier.ts';
export { listenForTrustedChanges, type TrustedChanges } from './trusted-changes.ts';
