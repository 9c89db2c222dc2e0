/** Shows an error as the API said it: title, detail and each pointer-addressed problem. */
import { ApiError } from '../api/problem.ts';

export function ErrorMessage({ error }: { readonly error: Error }) {
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <div role="alert" className="error-message">
      <p>{error.message}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={`${issue.pointer}:${issue.message}`}>
              <code>{issue.pointer || '/'}</code> {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
