import { percent, type ClassRow, type GroupRow } from './evaluation'

export function EvaluationTables({ classes, groups }: { classes: ClassRow[]; groups: GroupRow[] }) {
  return (
    <>
      <h3>Per class</h3>
      <table className="data-table compact" data-testid="per-class-table">
        <thead>
          <tr>
            <th>Class</th>
            <th className="num">Precision</th>
            <th className="num">Recall</th>
            <th className="num">F1</th>
            <th className="num">Support</th>
          </tr>
        </thead>
        <tbody>
          {classes.map((row) => (
            <tr key={row.name}>
              <td>{row.name}</td>
              <td className="num">{row.precision.toFixed(3)}</td>
              <td className="num">{row.recall.toFixed(3)}</td>
              <td className="num">{row.f1.toFixed(3)}</td>
              <td className="num">{row.support}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {groups.length > 0 && (
        <>
          <h3>Per group</h3>
          <p className="muted">Each metadata column's groups, worst balanced accuracy first.</p>
          <table className="data-table compact" data-testid="per-group-table">
            <thead>
              <tr>
                <th>Column</th>
                <th>Group</th>
                <th className="num">Images</th>
                <th className="num">Accuracy</th>
                <th className="num">Balanced accuracy</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((row) => (
                <tr key={`${row.column}\u0000${row.group}`}>
                  <td>{row.column}</td>
                  <td>{row.group}</td>
                  <td className="num">{row.n}</td>
                  <td className="num">{percent(row.accuracy)}</td>
                  <td className="num">{percent(row.balanced_accuracy)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  )
}
