import { useState } from 'react'
import { cellTitle, matrixCells, shadeColor, type Confusion, type MatrixMode } from './evaluation'

interface Props {
  confusion: Confusion
  testId?: string
  /** data-testid of a cell: `<prefix>-<true>-<predicted>`. */
  cellPrefix?: string
  selected?: { trueClass: string; predictedClass: string } | null
  /** Clicking a cell selects it (shows its images); absent, the cells are not buttons. */
  onSelect?: (trueClass: string, predictedClass: string) => void
}

export function EvaluationConfusion({ confusion, testId = 'confusion-matrix', cellPrefix = 'cell', selected = null, onSelect }: Props) {
  const [mode, setMode] = useState<MatrixMode>('counts')
  const rows = matrixCells(confusion, mode)
  return (
    <div className="confusion" data-testid={testId} data-mode={mode}>
      <div className="confusion-toggle" role="group" aria-label="Confusion matrix values">
        {(['counts', 'normalized'] as const).map((value) => (
          <button
            key={value}
            type="button"
            className={mode === value ? 'active' : undefined}
            aria-pressed={mode === value}
            data-testid={`${testId}-${value}`}
            onClick={() => setMode(value)}
          >
            {value === 'counts' ? 'Counts' : 'Row-normalised'}
          </button>
        ))}
      </div>
      <table className="confusion-table">
        <thead>
          <tr>
            <th className="corner">true ↓ / predicted →</th>
            {confusion.labels.map((label) => (
              <th key={label} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, t) => (
            <tr key={confusion.labels[t]}>
              <th scope="row">{confusion.labels[t]}</th>
              {row.map((cell) => {
                const isSelected = selected?.trueClass === cell.trueClass && selected.predictedClass === cell.predictedClass
                const style = { background: shadeColor(cell.shade, cell.trueClass === cell.predictedClass), color: cell.shade > 0.55 ? '#fff' : undefined }
                const id = `${cellPrefix}-${cell.trueClass}-${cell.predictedClass}`
                const title = cellTitle(cell.trueClass, cell.predictedClass, cell.count)
                return (
                  <td key={cell.predictedClass} className={isSelected ? 'selected' : undefined} style={style}>
                    {onSelect ? (
                      <button type="button" data-testid={id} title={title} aria-pressed={isSelected} onClick={() => onSelect(cell.trueClass, cell.predictedClass)}>
                        {cell.text}
                      </button>
                    ) : (
                      <span data-testid={id} title={title}>
                        {cell.text}
                      </span>
                    )}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
