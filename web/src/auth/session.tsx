/** Who is signed in and what they may do, shared with every page. */
import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client.ts';
import type { Me } from '../api/types.ts';

export interface Session {
  readonly client: ApiClient;
  readonly me: Me;
  /** Viewers read only: no edit, save, run, cancel, redrive or preview controls. */
  readonly canEdit: boolean;
  signOut(): void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside a signed-in SessionContext');
  return session;
}
