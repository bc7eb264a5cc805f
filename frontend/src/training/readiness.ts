// Why the Train button is disabled, in the order a person fixes things.
import type { HyperparameterCheck, SplitPreview } from '../api/types'
import type { SplitCheck } from './split'
import type { RequestState } from './useDebouncedRequest'

export type CheckState = RequestState<HyperparameterCheck>

/** 'unavailable': the server has no split preview (older backend); the run then uses validation_fraction. */
export type PreviewState = RequestState<SplitPreview> | { status: 'unavailable' }

export interface TrainInputs {
  graphVersionId: number | null
  datasetId: number | null
  check: CheckState
  split: SplitCheck
  preview: PreviewState
  override: { checked: boolean; reason: string }
}

export function hasLeaks(preview: PreviewState): boolean {
  return preview.status === 'done' && !preview.value.audit.clean && preview.value.audit.leaks.length > 0
}

/** Every reason the run cannot start yet; empty when it can. */
export function trainBlockers(inputs: TrainInputs): string[] {
  const reasons: string[] = []
  if (inputs.graphVersionId === null) reasons.push('Choose a model version.')
  if (inputs.datasetId === null) reasons.push('Choose a dataset.')
  const splitProblems = Object.values(inputs.split.problems)
  if (splitProblems.length > 0) reasons.push(`Split: ${splitProblems.join('; ')}.`)
  const { check } = inputs
  if (check.status === 'error') reasons.push(`Could not check the hyperparameters: ${check.error.message}`)
  else if (check.status !== 'done') reasons.push('Checking the hyperparameters…')
  else if (!check.value.valid) {
    const n = check.value.problems.length
    reasons.push(`Fix the ${n === 1 ? 'problem' : `${n} problems`} in the hyperparameters.`)
  }
  if (hasLeaks(inputs.preview)) {
    if (!inputs.override.checked) reasons.push('The split leaks between parts: fix it, or tick "Start anyway" and give a reason.')
    else if (inputs.override.reason.trim() === '') reasons.push('Give a reason for starting despite the leaks.')
  }
  return reasons
}
