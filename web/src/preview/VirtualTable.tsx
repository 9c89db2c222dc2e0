/** A table that renders only the rows in view, so a 1,000-row sample scrolls as smoothly as 10. */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { PreviewTable } from './arrow-table.ts';

const ROW_HEIGHT = 28;

export function VirtualTable({ table, label }: { readonly table: PreviewTable; readonly label: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: table.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const template = `repeat(${table.columns.length}, minmax(8rem, 1fr))`;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it.
    <div ref={scroller} className="virtual-table-scroller" tabIndex={0}>
      <table className="virtual-table" aria-label={label} aria-rowcount={table.rows.length + 1}>
        <thead className="virtual-table-head">
          <tr className="virtual-table-row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
            {table.columns.map((column) => (
              <th scope="col" key={column.name} className="virtual-table-cell">
                <span className="column-name">{column.name}</span>
                <span className="column-type">{column.type}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize(), position: 'relative', display: 'block' }}>
          {virtualizer.getVirtualItems().map((item) => (
            <tr
              key={item.key}
              aria-rowindex={item.index + 2}
              className="virtual-table-row virtual-table-body-row"
              style={{
                gridTemplateColumns: template,
                transform: `translateY(${item.start}px)`,
                height: ROW_HEIGHT,
              }}
            >
              {table.rows[item.index]?.map((cell, index) => (
                <td key={table.columns[index]?.name ?? index} className="virtual-table-cell">
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
