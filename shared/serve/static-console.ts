/** The built console (web/dist) at `/`, with single-page-app fallback to index.html. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';

export function mountConsole(app: Hono, webDist: string, apiBase: string): boolean {
  const root = resolve(webDist);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return false;
  // serveStatic's root is relative to the working directory.
  app.use('*', serveStatic({ root: relative(process.cwd(), root) || '.' }));
  app.get('*', async (c, next) => {
    // Routes of the console, not files: let the app route them. API paths keep their 404s.
    if (c.req.path === apiBase || c.req.path.startsWith(`${apiBase}/`)) return next();
    return c.html(await readFile(index, 'utf8'));
  });
  return true;
}
