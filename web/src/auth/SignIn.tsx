/** Sign-in: Cognito's hosted UI in the cloud; locally, paste the token `etl token` prints. */
import { useState } from 'react';
import type { CognitoConfig } from '../api/config.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { startCognitoSignIn } from './cognito.ts';

interface SignInProps {
  readonly cognito: CognitoConfig | undefined;
  readonly error: Error | undefined;
  readonly onToken: (token: string) => void;
}

export function SignIn({ cognito, error, onToken }: SignInProps) {
  const [token, setToken] = useState('');
  return (
    <main className="sign-in">
      <h1>ETL console</h1>
      {error && <ErrorMessage error={error} />}
      {cognito ? (
        <button type="button" onClick={() => void startCognitoSignIn(cognito)}>
          Sign in
        </button>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (token.trim()) onToken(token.trim());
          }}
        >
          <div className="field">
            <label htmlFor="token">API token</label>
            <textarea
              id="token"
              rows={4}
              value={token}
              autoComplete="off"
              spellCheck={false}
              aria-describedby="token-help"
              onChange={(event) => setToken(event.target.value)}
            />
            <small id="token-help" className="field-help">
              Print one with <code>etl token --role developer --org acme</code>. It is kept for this tab only.
            </small>
          </div>
          <button type="submit">Sign in</button>
        </form>
      )}
    </main>
  );
}
