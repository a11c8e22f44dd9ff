/** Shareable links: the experiment as versioned query parameters, and shared results. */
export { decodeExperiment, encodeExperiment, type DecodedLink, type DecodeOptions } from './codec';
export type { LinkNotice } from './notices';
export { CUSTOM_PRESET, PARAMS } from './params';
export { exactProblem, resolveExperiment, type Capabilities, type CatalogLayer, type CatalogPreset, type PresetCatalog } from './resolve';
export {
  decodeSnapshot,
  encodeSnapshot,
  MAX_SNAPSHOT_CHARS,
  RESULTS_KEY,
  SnapshotTooLargeError,
  type Snapshot,
  type SnapshotPoint,
  type SnapshotResult,
} from './snapshot';
export { DEFAULT_EXPERIMENT, VIEW_IDS, type ExperimentState, type ViewId } from './state';
export { LINK_VERSION, MIGRATIONS, migrate, type Migration } from './version';
