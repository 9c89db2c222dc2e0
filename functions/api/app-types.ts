/** The router's type and small OpenAPI helpers shared by the route files. */
import type { OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiEnv } from './context.ts';

export type ApiApp = OpenAPIHono<ApiEnv>;

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

export function jsonBody<T extends z.ZodType>(schema: T, required = true) {
  return { required, content: { 'application/json': { schema } } } as const;
}
