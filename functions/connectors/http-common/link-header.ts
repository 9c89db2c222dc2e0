/** Reads the `rel="next"` target of an RFC 8288 `Link` header (GitHub-style pagination). */

/** The URL of the link whose `rel` includes `next`, resolved against `base`; undefined when none. */
export function parseNextLink(header: string | null | undefined, base: string | URL): URL | undefined {
  if (header === null || header === undefined) return undefined;
  // Links are `<uri>; param=value; ...` separated by commas; a URI may itself contain commas, so scan by `<...>`.
  const pattern = /<([^>]*)>((?:\s*;\s*[^;,]+)*)/g;
  for (const match of header.matchAll(pattern)) {
    const [, target = '', params = ''] = match;
    for (const param of params.split(';')) {
      const [name, ...valueParts] = param.split('=');
      if (name?.trim().toLowerCase() !== 'rel') continue;
      const value = valueParts.join('=').trim().replace(/^"|"$/g, '');
      if (value.toLowerCase().split(/\s+/).includes('next')) {
        try {
          return new URL(target.trim(), base);
        } catch {
          return undefined;
        }
      }
    }
  }
  return undefined;
}
