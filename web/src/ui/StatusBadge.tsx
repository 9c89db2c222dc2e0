/** A run or node status as a coloured, readable badge (colour is never the only signal). */
export function StatusBadge({ status }: { readonly status: string }) {
  return <span className={`status status-${status}`}>{status}</span>;
}
