/** RFC 6901 JSON pointers for error locations. */
export function jsonPointer(path: readonly (string | number | symbol)[]): string {
  return path.map((part) => `/${String(part).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
