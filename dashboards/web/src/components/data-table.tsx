/** The console's plain table: a heading row from a list of column labels, the rows as children. */
import type { ReactNode } from 'react';

/** A label, or a label with a class (`num` right-aligns numbers); '' for a column without heading. */
export type ColumnHeading = string | { label: string; className: string };

export function DataTable(props: { columns: readonly ColumnHeading[]; testId?: string; children: ReactNode }): ReactNode {
  return (
    <table className="table" data-testid={props.testId}>
      <thead>
        <tr>
          {props.columns.map((c, i) => (typeof c === 'string' ? <th key={i}>{c}</th> : <th key={i} className={c.className}>{c.label}</th>))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}
