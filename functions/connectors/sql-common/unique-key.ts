/** Whether a table's unique indexes include one on exactly the upsert keys. */

/** `rows`: (index name, column name) pairs of the table's unique indexes. */
export function uniqueKeyMatches(rows: readonly (readonly string[])[], columns: readonly string[]): boolean {
  const byIndex = new Map<string, Set<string>>();
  for (const [index = '', column = ''] of rows) {
    byIndex.set(index, (byIndex.get(index) ?? new Set()).add(column));
  }
  const wanted = new Set(columns);
  return [...byIndex.values()].some(
    (indexColumns) =>
      indexColumns.size === wanted.size && [...wanted].every((column) => indexColumns.has(column)),
  );
}
