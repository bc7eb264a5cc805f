import type { DatasetGroups } from '../api/types'
import { buildGroupTables } from './explore'

/** Per metadata column with few values (speaker, session...): each value's class mix. */
export function GroupTables({ groups, classes }: { groups: DatasetGroups; classes: string[] }) {
  const tables = buildGroupTables(groups, classes)
  if (tables.length === 0) return <p className="muted">No metadata columns to group by.</p>
  return (
    <div className="group-tables">
      {tables.map((table) => (
        <table key={table.column} className="data-table compact" data-testid={`group-table-${table.column}`}>
          <caption>{table.column}</caption>
          <thead>
            <tr>
              <th>{table.column}</th>
              {table.classes.map((label) => (
                <th key={label} className="num">
                  {label}
                </th>
              ))}
              <th className="num">total</th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.value} data-value={row.value}>
                <td>{row.value === '' ? <span className="muted">(empty)</span> : row.value}</td>
                {row.counts.map((count, i) => (
                  <td key={table.classes[i]} className="num" data-class={table.classes[i]}>
                    {count}
                  </td>
                ))}
                <td className="num">{row.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  )
}
