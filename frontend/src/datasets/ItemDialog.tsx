import { useEffect, useRef } from 'react'
import { api } from '../api/client'
import type { DatasetItemPublic } from '../api/types'

function cell(value: unknown): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/** The full image and its whole CSV row; a native modal dialog (Escape and the backdrop close it). */
export function ItemDialog({ datasetId, item, onClose }: { datasetId: number; item: DatasetItemPublic; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (dialog !== null && !dialog.open) dialog.showModal?.()
  }, [])
  const row: [string, unknown][] = [['path', item.path], ['label', item.label], ...Object.entries(item.extra)]
  return (
    <dialog
      ref={ref}
      className="item-dialog"
      data-testid="item-dialog"
      onClose={onClose}
      onClick={(event) => {
        if (event.target === ref.current) ref.current.close() // a click on the backdrop
      }}
    >
      <div className="item-dialog-body">
        <img src={api.imageUrl(datasetId, item.id)} alt={item.path} />
        <div>
          <table className="data-table compact">
            <tbody>
              {row.map(([key, value]) => (
                <tr key={key} data-column={key}>
                  <th scope="row">{key}</th>
                  <td>{cell(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <a href={api.imageUrl(datasetId, item.id)} target="_blank" rel="noreferrer">
              Open the original
            </a>
          </p>
          <button type="button" className="button" onClick={() => ref.current?.close()}>
            Close
          </button>
        </div>
      </div>
    </dialog>
  )
}
