/** Signs the user in (token or Cognito), then shows the page the hash route names. */
import { useEffect, useMemo, useState } from 'react';
import { ApiClient } from './api/client.ts';
import type { ConsoleConfig } from './api/config.ts';
import type { Me } from './api/types.ts';
import { signOutOfCognito } from './auth/cognito.ts';
import { SignIn } from './auth/SignIn.tsx';
import { type Session, SessionContext } from './auth/session.tsx';
import { clearToken, readToken, saveToken } from './auth/token-store.ts';
import { Shell } from './Shell.tsx';
import { toError } from './ui/useAsync.ts';

export function App({ config }: { readonly config: ConsoleConfig }) {
  const [token, setToken] = useState(readToken);
  const [me, setMe] = useState<Me | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const client = useMemo(
    () =>
      token
        ? new ApiClient(config.apiBase, token, (rejected) => {
            // A rejected token is forgotten so the sign-in form comes back with the reason.
            clearToken();
            setMe(undefined);
            setToken(undefined);
            setError(rejected);
          })
        : undefined,
    [config, token],
  );

  useEffect(() => {
    if (!client) return;
    let live = true;
    client.me().then(
      (who) => live && setMe(who),
      (failure: unknown) => {
        if (live) setError(toError(failure));
      },
    );
    return () => {
      live = false;
    };
  }, [client]);

  const session = useMemo<Session | undefined>(
    () =>
      client && me
        ? {
            client,
            me,
            canEdit: me.role !== 'viewer',
            signOut: () => {
              clearToken();
              setMe(undefined);
              setToken(undefined);
              // Cognito's hosted session would sign the next "Sign in" straight back in.
              if (config.cognito) signOutOfCognito(config.cognito);
            },
          }
        : undefined,
    [client, me, config],
  );

  if (!session) {
    if (client && !error) return <p aria-busy="true">Signing in…</p>;
    return (
      <SignIn
        cognito={config.cognito}
        error={error}
        onToken={(next) => {
          saveToken(next);
          setError(undefined);
          setToken(next);
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <Shell />
    </SessionContext.Provider>
  );
}
