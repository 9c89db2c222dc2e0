/** Every write through the API leaves one audit entry: who, what, which resource, when. */
import type { Principal } from '../../shared/auth/principal.ts';
import { AuditStore } from '../../shared/store/audit-store.ts';
import type { ApiDeps } from './deps.ts';

export async function audit(
  deps: ApiDeps,
  principal: Principal,
  action: string,
  resource: string,
): Promise<void> {
  await new AuditStore(deps.dynamo, deps.table, principal.org).record({
    user: principal.user,
    action,
    resource,
  });
}
