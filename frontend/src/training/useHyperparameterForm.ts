import { useCallback, useState } from 'react'
import type { HyperparameterPreset } from '../api/types'
import { applyFix, chooseType, fromHyperparameters, setValue, type FormValues } from './form'
import type { FormSchema } from './schema'

/** The form's values and the preset they started from (null once edited away from it). */
export function useHyperparameterForm(schema: FormSchema, presets: readonly HyperparameterPreset[]) {
  const first = presets[0]
  const [state, setState] = useState<{ values: FormValues; preset: string | null }>(() => ({
    values: fromHyperparameters(schema, first?.hyperparameters ?? {}),
    preset: first?.key ?? null,
  }))

  const choosePreset = useCallback(
    (key: string) => {
      const preset = presets.find((p) => p.key === key)
      if (preset !== undefined) setState({ values: fromHyperparameters(schema, preset.hyperparameters), preset: key })
    },
    [schema, presets],
  )
  const change = useCallback((path: string, value: string | boolean) => {
    setState((s) => ({ ...s, values: setValue(s.values, path, value) }))
  }, [])
  const changeType = useCallback(
    (key: string, type: string) => setState((s) => ({ ...s, values: chooseType(schema, s.values, key, type) })),
    [schema],
  )
  const fix = useCallback(
    (values: Readonly<Record<string, unknown>>) => setState((s) => ({ ...s, values: applyFix(schema, s.values, values) })),
    [schema],
  )
  return { values: state.values, preset: state.preset, choosePreset, change, changeType, fix }
}
