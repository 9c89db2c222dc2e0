/**
 * The organization of the run a node task works for, as async context.
 * Connectors resolve connections and watermarks deep inside kernels that
 * know only a connection name; carrying the tenant as context (set once by
 * `runNodeTask`) keeps every kernel signature as it is, and keeps concurrent
 * in-process runs of different tenants apart.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<string>();

export function withRunOrganization<T>(organization: string, work: () => Promise<T>): Promise<T> {
  return scope.run(organization, work);
}

/** Undefined outside a node task: callers then fall back to the deployment's default tenant. */
export function currentRunOrganization(): string | undefined {
  return scope.getStore();
}
