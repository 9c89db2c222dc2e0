/** Per-request context: the verified principal, and stores scoped to its organization. */
import type { Context } from 'hono';
import type { Principal } from '../../shared/auth/principal.ts';
import { ConnectionStore } from '../../shared/connections/connection-store.ts';
import { AuditStore } from '../../shared/store/audit-store.ts';
import { MembershipStore } from '../../shared/store/membership-store.ts';
import { PipelineStore } from '../../shared/store/pipeline-store.ts';
import { RunStore } from '../../shared/store/run-store.ts';
import type { ApiDeps } from './deps.ts';

export interface ApiEnv {
  Variables: {
    principal: Principal;
  };
}

export type ApiContext = Context<ApiEnv>;

export function principalOf(c: Context<ApiEnv>): Principal {
  const principal = c.get('principal');
  // Routes without a principal are public and never call this; reaching here is a wiring bug.
  if (principal === undefined) throw new Error('route reads the principal but is not authenticated');
  return principal;
}

export interface OrgStores {
  readonly pipelines: PipelineStore;
  readonly runs: RunStore;
  readonly audit: AuditStore;
  readonly connections: ConnectionStore;
  readonly members: MembershipStore;
}

/** Stores under the caller's organization: nothing else is reachable from a request. */
export function orgStores(deps: ApiDeps, principal: Principal): OrgStores {
  return {
    pipelines: new PipelineStore(deps.dynamo, deps.table, principal.org),
    runs: new RunStore(deps.dynamo, deps.table, principal.org),
    audit: new AuditStore(deps.dynamo, deps.table, principal.org),
    connections: new ConnectionStore(deps.dynamo, deps.table, principal.org),
    members: new MembershipStore(deps.dynamo, deps.table, principal.org),
  };
}
