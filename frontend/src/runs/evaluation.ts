/**
 * A run's evaluation (GET /api/runs/{id}/evaluation and /predictions, results contract of
 * issue #6): the types, and pure functions the Evaluation* components draw from.
 */

export interface MetricWithCI {
  value: number
  /** 95% percentile bootstrap interval. */
  ci95: [number, number]
}

export interface ClassScores {
  precision: number
  recall: number
  f1: number
  support: number
}

export interface Confusion {
  labels: string[]
  /** Rows: true class; columns: predicted class. */
  counts: number[][]
  normalized: number[][]
}

export interface GroupScores {
  n: number
  accuracy: number
  balanced_accuracy: number
}

export interface RecordingLevel {
  column: string
  n: number
  accuracy: MetricWithCI
  balanced_accuracy: MetricWithCI
  macro_f1: number
  per_class?: Record<string, ClassScores>
  confusion: Confusion
}

export interface RunEvaluation {
  split: 'test' | 'validation'
  checkpoint: 'best' | 'last'
  best_epoch: number | null
  classes: string[]
  n: number
  accuracy: MetricWithCI
  balanced_accuracy: MetricWithCI
  macro_f1: number
  per_class: Record<string, ClassScores>
  confusion: Confusion
  per_group: Record<string, Record<string, GroupScores>>
  recording_level: RecordingLevel | null
}

export interface EvaluationItem {
  item_id: number | null
  path: string
  true: string
  predicted: string
  /** In the order of `classes`. */
  probabilities: number[]
  metadata: Record<string, unknown>
  image_url: string | null
  thumbnail_url: string | null
}

export interface EvaluationItems {
  count: number
  classes: string[]
  offset: number
  limit: number
  items: EvaluationItem[]
}

export type MatrixMode = 'counts' | 'normalized'

/** A body that is not an evaluation (an old server, a proxy page) is reported, not drawn. */
export function isEvaluation(body: unknown): body is RunEvaluation {
  if (typeof body !== 'object' || body === null) return false
  const e = body as Partial<RunEvaluation>
  return Array.isArray(e.classes) && Array.isArray(e.confusion?.counts) && typeof e.accuracy?.value === 'number'
}

export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`
}

/** "95% CI 66.7–100.0%" */
export function ciText(metric: MetricWithCI): string {
  const [lo, hi] = metric.ci95
  return `95% CI ${(lo * 100).toFixed(1)}–${(hi * 100).toFixed(1)}%`
}

export function checkpointText(e: Pick<RunEvaluation, 'checkpoint' | 'best_epoch'>): string {
  if (e.checkpoint === 'best' && e.best_epoch !== null) return `best checkpoint: epoch ${e.best_epoch} (lowest val_loss)`
  return 'last epoch (no validation split to choose a best one)'
}

export function splitText(e: Pick<RunEvaluation, 'split' | 'n'>): string {
  return e.split === 'test'
    ? `test split, ${e.n} images never trained on`
    : `validation split, ${e.n} images (the run has no test split)`
}

export interface MatrixCell {
  trueClass: string
  predictedClass: string
  count: number
  text: string
  /** 0..1: how dark the cell is drawn. */
  shade: number
}

/** The matrix as rows of cells; shading by row share in both modes, so colours read the same. */
export function matrixCells(confusion: Confusion, mode: MatrixMode): MatrixCell[][] {
  return confusion.labels.map((trueClass, t) =>
    confusion.labels.map((predictedClass, p) => {
      const count = confusion.counts[t]?.[p] ?? 0
      const share = confusion.normalized[t]?.[p] ?? 0
      return { trueClass, predictedClass, count, shade: share, text: mode === 'counts' ? String(count) : share.toFixed(2) }
    }),
  )
}

export function shadeColor(shade: number, diagonal: boolean): string {
  const alpha = Math.max(0, Math.min(1, shade)) * 0.85 + 0.04
  return diagonal ? `rgba(22, 163, 74, ${alpha.toFixed(2)})` : `rgba(220, 38, 38, ${alpha.toFixed(2)})`
}

export interface ClassRow extends ClassScores {
  name: string
}

export function classRows(perClass: Record<string, ClassScores>, classes: string[]): ClassRow[] {
  return classes.flatMap((name) => {
    const scores = perClass[name]
    return scores === undefined ? [] : [{ name, ...scores }]
  })
}

export interface GroupRow extends GroupScores {
  column: string
  group: string
}

/** Columns in name order, groups worst balanced accuracy first: the ones to look at. */
export function groupRows(perGroup: Record<string, Record<string, GroupScores>>): GroupRow[] {
  return Object.keys(perGroup)
    .sort()
    .flatMap((column) =>
      Object.entries(perGroup[column] ?? {})
        .map(([group, scores]) => ({ column, group, ...scores }))
        .sort((a, b) => a.balanced_accuracy - b.balanced_accuracy || a.group.localeCompare(b.group)),
    )
}

export interface ProbabilityBar {
  name: string
  probability: number
  predicted: boolean
  true: boolean
}

export function probabilityBars(item: EvaluationItem, classes: string[]): ProbabilityBar[] {
  return classes.map((name, i) => ({
    name,
    probability: item.probabilities[i] ?? 0,
    predicted: name === item.predicted,
    true: name === item.true,
  }))
}

export function cellTitle(trueClass: string, predictedClass: string, count: number): string {
  const what = trueClass === predictedClass ? 'correctly' : `as ${predictedClass}`
  return `${count} ${trueClass} image${count === 1 ? '' : 's'} predicted ${what}`
}
