/** Starts a run of the saved pipeline, asking for its declared parameters (defaults pre-filled). */
import { useState } from 'react';
import type { ParameterDoc } from '../api/types.ts';

interface StartRunFormProps {
  readonly parameters: Readonly<Record<string, ParameterDoc>>;
  readonly busy: boolean;
  readonly onStart: (parameters: Record<string, string | number | boolean>) => void;
  readonly onCancel: () => void;
}

function coerce(type: ParameterDoc['type'], text: string): string | number | boolean {
  if (type === 'number') return Number(text);
  if (type === 'boolean') return text === 'true';
  return text;
}

export function StartRunForm({ parameters, busy, onStart, onCancel }: StartRunFormProps) {
  const entries = Object.entries(parameters);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(entries.map(([name, p]) => [name, p.default === undefined ? '' : String(p.default)])),
  );
  const submit = () => {
    const typed: Record<string, string | number | boolean> = {};
    for (const [name, p] of entries) {
      const text = values[name] ?? '';
      if (text !== '') typed[name] = coerce(p.type, text);
    }
    onStart(typed);
  };
  return (
    <form
      className="start-run"
      aria-label="Start a run"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <h2>Start a run</h2>
      {entries.length === 0 && <p>This pipeline declares no parameters.</p>}
      {entries.map(([name, p]) => (
        <div className="field" key={name}>
          <label htmlFor={`param-${name}`}>
            {name} <small>({p.type ?? 'string'})</small>
          </label>
          <input
            id={`param-${name}`}
            type={p.type === 'number' ? 'number' : 'text'}
            step="any"
            value={values[name] ?? ''}
            aria-describedby={p.description ? `param-${name}-help` : undefined}
            onChange={(event) => setValues({ ...values, [name]: event.target.value })}
          />
          {p.description && (
            <small id={`param-${name}-help`} className="field-help">
              {p.description}
            </small>
          )}
        </div>
      ))}
      <div className="actions">
        <button type="submit" disabled={busy}>
          Start run
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
