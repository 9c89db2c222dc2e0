/** Entry point: read the runtime config, finish any sign-in redirect, then render the console. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { loadConfig } from './api/config.ts';
import { completeCognitoSignIn } from './auth/cognito.ts';
import { saveToken, takeTokenFromUrl } from './auth/token-store.ts';
import './styles.css';

async function start(root: HTMLElement): Promise<void> {
  const config = await loadConfig();
  takeTokenFromUrl();
  if (config.cognito) {
    const token = await completeCognitoSignIn(config.cognito);
    if (token) saveToken(token);
  }
  createRoot(root).render(
    <StrictMode>
      <App config={config} />
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
start(root).catch((error: unknown) => {
  const message = document.createElement('p');
  message.setAttribute('role', 'alert');
  message.textContent = `The console could not start: ${error instanceof Error ? error.message : String(error)}`;
  root.replaceChildren(message);
});
