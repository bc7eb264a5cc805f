// Hand-written to match the backend's Pydantic schemas (backend/runs/schemas.py,
// backend/events.py, backend/health.py). A later issue generates these from
// the OpenAPI document; keep the names aligned with it (XPublic, XsPublic).

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

export const TERMINAL_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled']

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status)
}

export interface AdadeltaConfig {
  type: 'adadelta'
  learning_rate: number
  rho: number
  epsilon: number
}

export interface AdamConfig {
  type: 'adam'
  learning_rate: number
  beta_1: number
  beta_2: number
  epsilon: number
}

export interface SGDConfig {
  type: 'sgd'
  learning_rate: number
  momentum: number
  nesterov: boolean
}

/** Any of the seven optimizers (backend/runs/hyperparameters/optimizers.py); the form reads the rest from the schema. */
export interface AnyOptimizerConfig {
  type: string
  learning_rate: number
  decay?: number
  [param: string]: unknown
}

export type OptimizerConfig = AdadeltaConfig | AdamConfig | SGDConfig | AnyOptimizerConfig

export interface Hyperparameters {
  epochs: number
  batch_size: number
  optimizer: OptimizerConfig
  validation_fraction: number
  seed: number
  loss?: { type: string; [param: string]: unknown }
  schedule?: { type: string; [param: string]: unknown }
  early_stopping?: { enabled: boolean; monitor: string; patience: number; [param: string]: unknown }
  class_weights?: 'none' | 'balanced'
  mixed_precision?: boolean
}

export type MetricKey = 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy' | 'learning_rate'

/** Metric name to value; a key is absent when it was not computed (e.g. no validation split). */
export type Metrics = Partial<Record<MetricKey, number>> & Record<string, number | undefined>

export interface RunPublic {
  id: number
  project_id?: number
  name: string
  status: RunStatus
  graph_version_id: number
  graph_name: string
  graph_version: number
  dataset_id: number
  dataset_name: string
  hyperparameters: Hyperparameters
  created_at: string
  started_at: string | null
  finished_at: string | null
  error_message: string | null
  epochs_completed: number
  latest_metrics: Metrics
  test_metrics?: Metrics
  num_params: number | null
  has_model: boolean
  worker?: string | null
  /** Known pitfalls of these hyperparameters on this dataset; the run still runs. */
  warnings?: HyperparameterWarning[]
  /** What the run is doing now, in words ("compiling the model"); absent on older servers. */
  phase?: string | null
  /** 0 for the first try; N when a worker resumed it from a checkpoint. */
  attempt?: number
  device?: string | null
  checkpoint_epoch?: number | null
  cancel_requested?: boolean
  /** The latest batch progress, for a page opened mid-epoch. */
  progress?: { epoch: number; epochs: number; batch: number; batches: number; eta_seconds?: number | null } | null
  split?: SplitSpec | null
  split_summary?: Record<string, SplitPart> | null
  split_warnings?: string[]
  leakage_report?: { leaks: SplitLeak[]; clean: boolean } | null
  leakage_override?: string | null
  /** Labels for finding runs; the one thing about a run that may change (PATCH /api/runs/{id}/tags). */
  tags?: string[]
}

export interface ListPublic<T> {
  data: T[]
  count: number
}

export type RunsPublic = ListPublic<RunPublic>

/** GET /api/runs/queue: waiting runs in start order (position 1 starts next), and those training. */
export interface RunQueuePublic {
  queued: { position: number; run: RunPublic }[]
  running: RunPublic[]
  queued_total: number
}

/** What ingest learnt about the zip (backend/datasets/service.py). */
export interface DatasetReport {
  source?: string
  columns?: { path?: string; label?: string }
  images?: { sizes?: Record<string, number>; modes?: Record<string, number> }
  /** Audio datasets only (backend/datasets/audio_files.py): `{"22050 Hz": 154}`, `{"mono": 154}`. */
  audio?: { sample_rates?: Record<string, number>; channels?: Record<string, number>; seconds?: number }
  warnings?: string[]
}

/** "image" datasets train; "audio" ones are converted to spectrogram images first. */
export type DatasetKind = 'image' | 'audio'


export interface DatasetPublic {
  id: number
  project_id?: number
  name: string
  source_filename?: string
  content_hash?: string
  num_items: number
  classes: string[]
  class_counts: Record<string, number>
  report?: DatasetReport
  kind?: DatasetKind
  parent_id?: number | null
  /** How a derived version was made: `{type: 'relabel', mapping}` or `{type: 'spectrograms', recipe}`. */
  derivation?: Record<string, unknown> | null
  created_at: string
}

export type DatasetsPublic = ListPublic<DatasetPublic>

export interface DatasetFromUpload {
  upload_id: string
  name?: string
  path_column?: string
  label_column?: string
}

/** Old label -> new label (renames; two to one merge) or null (drop); only changed classes. */
export interface DatasetRelabel {
  mapping: Record<string, string | null>
  name?: string
}

/** backend/conversions/schemas.py; `recipe` is validated by backend/audio_recipe.py. */
export interface ConversionCreate {
  recipe: Record<string, unknown>
  name?: string
}

export type ConversionStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

export interface ConversionPublic {
  id: number
  name: string
  source_dataset_id: number
  result_dataset_id: number | null
  recipe: Record<string, unknown>
  status: ConversionStatus
  done: number
  total: number
  report: Record<string, unknown>
  error_message: string | null
  created_at: string
  started_at: string | null
  finished_at: string | null
}

export type ConversionsPublic = ListPublic<ConversionPublic>

/** Per metadata column (only those with few distinct values): value -> class -> count. */
export interface DatasetGroups {
  columns: Record<string, Record<string, Record<string, number>>>
}

export interface DatasetItemPublic {
  id: number
  path: string
  label: string
  extra: Record<string, unknown>
}

export type DatasetItemsPublic = ListPublic<DatasetItemPublic>

/** A resumable upload (backend/uploads/schemas.py); `offset` is how many bytes the server holds. */
export interface UploadPublic {
  id: string
  filename: string
  size: number
  offset: number
}

export interface GraphVersionPublic {
  id: number
  graph_id: number
  version: number
  schema_version: number
  content_hash: string
  spec: Record<string, unknown>
  /** The version this one was edited from; null for a graph's first version. */
  parent_id: number | null
  message: string
  created_at: string
}

export interface GraphPublic {
  id: number
  name: string
  /** The full newest version (its `id` is what POST /api/runs takes as graph_version_id). */
  latest_version: GraphVersionPublic
  created_at: string
}

export type GraphsPublic = ListPublic<GraphPublic>

/** GET /api/graphs/{id}/versions: newest first. */
export type GraphVersionsPublic = ListPublic<GraphVersionPublic>

/** One field of a node that differs between two versions; `field` is dotted ("type", "params.units"). */
export interface FieldChange {
  field: string
  before: unknown
  after: unknown
}

/** GET /api/graphs/{id}/diff?from=&to= (backend/graph/diff.py); node positions are not compared. */
export interface GraphDiff {
  nodes_added: string[]
  nodes_removed: string[]
  nodes_changed: { id: string; changes: FieldChange[] }[]
  edges_added: [string, string][]
  edges_removed: [string, string][]
}

/** GET /api/graph-templates?classes=N (backend/graphs/templates.py). */
export interface GraphTemplate {
  id: string
  name: string
  description: string
  graph: Record<string, unknown>
}

export type ComponentName = 'database' | 'broker' | 'worker'

export interface ComponentHealth {
  status: 'up' | 'down'
  detail: string | null
}

export interface Health {
  status: 'ok' | 'degraded'
  components: Partial<Record<ComponentName, ComponentHealth>> & Record<string, ComponentHealth>
}

/** One located problem in an error body; `loc` is a path such as ["body", "hyperparameters", "epochs"]. */
export interface Problem {
  loc: (string | number)[]
  message: string
}

export interface ErrorBody {
  error: { code: string; message: string; problems: Problem[] }
}

// Server-sent events on GET /api/runs/{id}/events. `seq` is also the SSE id.
interface EventBase {
  seq: number
  run_id: number
  at: string
}

export interface EpochEvent extends EventBase {
  type: 'epoch'
  /** Counts from 1. */
  epoch: number
  epochs: number
  metrics: Metrics
}

export interface StatusEvent extends EventBase {
  type: 'status'
  status: RunStatus
  message: string | null
}

export interface LogEvent extends EventBase {
  type: 'log'
  level: 'info' | 'warning' | 'error'
  message: string
}

/** What the run is doing between epochs ("compiling the model"). */
export interface PhaseEvent extends EventBase {
  type: 'phase'
  phase: string
  message?: string | null
}

/** A new attempt continues from the checkpoint of `from_epoch`: later epochs are dropped. */
export interface ResumedEvent extends EventBase {
  type: 'resumed'
  from_epoch: number
  attempt: number
}

/**
 * Throttled batch progress inside an epoch (epoch counts from 1). Live only: its `seq`
 * is the last logged event's, for ordering, so it never counts as seen.
 */
export interface ProgressEvent extends EventBase {
  type: 'progress'
  epoch: number
  epochs?: number
  batch: number
  batches: number
  eta_seconds?: number | null
}

export type RunEvent = EpochEvent | StatusEvent | LogEvent | PhaseEvent | ResumedEvent | ProgressEvent

export const RUN_EVENT_TYPES: readonly RunEvent['type'][] = ['epoch', 'status', 'log', 'phase', 'resumed', 'progress']

// Model canvas (GET /api/graph-schema, POST /api/graphs/analyze; backend/graph/schema.py GraphSpec).
export interface GraphNodeSpec {
  id: string
  type: string
  params: Record<string, unknown>
  position: { x: number; y: number }
}

export interface GraphEdgeSpec {
  source: string
  target: string
  source_port: string
  target_port: string
}

export interface GraphSpec {
  schema_version: number
  nodes: GraphNodeSpec[]
  edges: GraphEdgeSpec[]
}

/** A JSON Schema object as Pydantic writes it; the canvas reads only what it needs. */
export type JsonSchema = Record<string, unknown>

export interface LayerSchema {
  type: string
  label: string
  category: string
  description: string
  /** How many incoming edges the node's one port takes. */
  inputs: 'none' | 'one' | 'many'
  params_schema: JsonSchema
}

export interface PaletteEntry {
  key: string
  label: string
  type: string
  category: string
  description: string
  /** Full, valid default params for a new node. */
  params: Record<string, unknown>
  /** Backbone entries: how many blocks `trainable: last_blocks` can count. */
  blocks?: number
}

export interface GraphSchemaPublic {
  schema_version: number
  graph_json_schema: JsonSchema
  layers: LayerSchema[]
  palette: PaletteEntry[]
}

export interface AnalyzeProblem extends Problem {
  node_id: string | null
  param: string | null
}

export interface ParamCounts {
  trainable: number
  non_trainable: number
}

export interface GraphAnalysis {
  valid: boolean
  problems: AnalyzeProblem[]
  /** Output shape per node id, without the batch axis. */
  shapes: Record<string, number[]>
  params: Record<string, ParamCounts>
  totals: ParamCounts
  output: string | null
}

export interface GraphCreate {
  name: string
  graph: GraphSpec
  message: string
}

export interface GraphVersionCreate {
  graph: GraphSpec
  message: string
  parent_version_id: number | null
}

/** A stored backbone weights file (backend/weights/schemas.py); its sha256 goes in a Backbone's weights_file. */
export interface WeightsFilePublic {
  id: number
  project_id: number
  sha256: string
  filename: string
  size: number
  format: 'keras' | 'torchvision'
  /** The backbone it was uploaded for; null: any. */
  architecture: string | null
  created_at: string
}

export type WeightsFilesPublic = ListPublic<WeightsFilePublic>

// Training page: hyperparameter presets and checks (backend/runs/hyperparameter_endpoints.py).
export interface HyperparameterWarning {
  code: string
  message: string
  /** Dotted field paths (optimizer.learning_rate) and the values that fix it. */
  fix: Record<string, unknown>
}

export interface HyperparameterPreset {
  key: string
  name: string
  description: string
  hyperparameters: Hyperparameters
}

export interface HyperparameterCheck {
  valid: boolean
  problems: Problem[]
  warnings: HyperparameterWarning[]
  hyperparameters: Hyperparameters | null
}

/** How a dataset is split for a run (POST /api/splits/preview, RunCreate.split); percentages sum to 100. */
export interface SplitSpec {
  method: 'percentages' | 'fixed_test'
  train: number
  validation: number
  test: number
  stratify: boolean
  group_by: string | null
  seed: number
}

export interface SplitPart {
  count: number
  by_class: Record<string, number>
  by_group?: Record<string, number>
}

export interface SplitLeak {
  kind: string
  count: number
  examples: unknown[]
}

export interface SplitPreview {
  parts: Record<'train' | 'validation' | 'test', SplitPart>
  audit: { leaks: SplitLeak[]; clean: boolean }
  warnings: (string | HyperparameterWarning)[]
}

export interface RunCreate {
  graph_version_id: number
  dataset_id: number
  name?: string
  hyperparameters: Record<string, unknown>
  split?: SplitSpec
  /** Why the run may start although the split audit found leaks. */
  leakage_override?: string
  /** Labels for finding the run later; may be changed afterwards. */
  tags?: string[]
}

// Compare (issue #6): GET /api/runs/compare, /api/runs/mcnemar, the paper experiment.
export interface Estimate {
  value: number
  /** [low, high] when the run's evaluation.json gives one. */
  ci95: [number, number] | null
}

export type HyperValue = string | number | boolean | null

export interface CompareRow {
  run_id: number
  name: string
  status: RunStatus
  model: string
  model_version: number
  graph_version_id: number
  dataset_id: number
  dataset: string
  epochs_completed: number
  train_accuracy: number | null
  val_accuracy: number | null
  train_loss: number | null
  val_loss: number | null
  test_accuracy: Estimate | null
  balanced_accuracy: Estimate | null
  num_params: number | null
  seconds_per_epoch: number | null
  /** Dotted keys: `optimizer.learning_rate`. */
  hyperparameters: Record<string, HyperValue>
  has_predictions: boolean
  tags: string[]
}

export interface RunCurves {
  run_id: number
  epochs: number[]
  metrics: Record<string, (number | null)[]>
}

export interface ComparePublic {
  rows: CompareRow[]
  curves: RunCurves[]
}

export interface McNemarPublic {
  a: number
  b: number
  n: number
  b01: number
  b10: number
  statistic: number
  p_value: number
  exact: boolean
  a_accuracy: number
  b_accuracy: number
}

export interface PaperExperimentCreate {
  dataset_id: number
  size: number
  weights: 'imagenet' | 'none'
  name?: string
  hyperparameters?: Record<string, unknown>
  split?: SplitSpec
  leakage_override?: string
}

export interface PaperExperimentPublic {
  id: number
  name: string
  kind: string
  dataset_id: number
  created_at: string
  spec: Record<string, unknown>
  models: { label: string; graph_id: number; graph_version_id: number; run_id: number }[]
  runs: RunPublic[]
  comparison: ComparePublic
  reports: { csv: string; md: string; html: string }
}

/** POST /api/models/{id}/predict (backend/predict/schemas.py). */
export interface SegmentPrediction {
  index: number
  start_s: number
  end_s: number
  probabilities: Record<string, number>
  predicted: string
}

export interface FilePrediction {
  name: string
  kind: 'image' | 'audio'
  /** A recording's: the mean of its segments' probabilities. */
  probabilities: Record<string, number>
  predicted: string
  segments?: number | null
  per_segment?: SegmentPrediction[] | null
}

export interface SaliencyAxis {
  label: string
  ticks: number[]
  /** 0..1 along the image: time left to right, frequency bottom up. */
  positions: number[]
}

export interface Saliency {
  method: string
  layer: string
  class_name: string
  png_base64: string
  segment?: number | null
  time_axis?: SaliencyAxis | null
  frequency_axis?: SaliencyAxis | null
}

export interface PredictionsPublic {
  model_id: number
  classes: string[]
  /** The model was already loaded in the predict worker. */
  cached: boolean
  predictions: FilePrediction[]
  skipped: { name: string; reason: string }[]
  saliency?: Saliency | null
}

export interface PaperExperimentSummary {
  id: number
  name: string
  dataset_id: number
  created_at: string
  size: number
  weights: string
  statuses: RunStatus[]
}
