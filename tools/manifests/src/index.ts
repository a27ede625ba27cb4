// @purelb/manifests: PureLB's install manifests as data, for the tests of deploy/, the demo and the
// `render-install` script.
export { loadKustomization, parseManifests } from './load-kustomization.ts';
export type { Kustomization, ManifestFile, ManifestObject } from './load-kustomization.ts';
export { applyImageRules, formatImage, parseImage, setImages } from './set-images.ts';
export type { ImageReference, ImageRule } from './set-images.ts';
export {
  INSTALL_STEPS,
  baseVersion,
  generatedDirectories,
  renderChartMonitoring,
  renderChartCrds,
  renderGenerated,
  renderInstall,
  staleFiles,
  strayFiles,
} from './render-install.ts';
export type { GeneratedFile } from './render-install.ts';
export { TOOL_BUILD, locateMonitoringCrds, locateTool } from './locate-tool.ts';
export type { DeployTool, LocateToolOptions } from './locate-tool.ts';
export {
  APPLY_PATCH,
  applyObjects,
  createResourceFinder,
  deleteObjects,
  describeObject,
  objectPath,
} from './apply-objects.ts';
export type {
  ApplyFailure,
  ApplyFailureCode,
  ApplyKind,
  ApplyOptions,
  ApplyOutcome,
  ApplyResult,
} from './apply-objects.ts';
export { relocate } from './relocate.ts';
export type { Relocation } from './relocate.ts';
export { CHART_DIR, helmEnv, lintChart, renderChart, runHelm } from './helm-chart.ts';
export type { ChartRun } from './helm-chart.ts';
export { runCommand } from './run-command.ts';
export type { CommandOptions, CommandResult } from './run-command.ts';
