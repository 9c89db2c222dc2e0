/** Renames a node when the field is committed (blur or Enter), so edges follow one rename, not every keystroke. */
import { useEffect, useState } from 'react';

interface NodeIdFieldProps {
  readonly nodeId: string;
  readonly taken: ReadonlySet<string>;
  readonly errors: readonly string[];
  readonly readOnly: boolean;
  readonly onRename: (to: string) => void;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export function NodeIdField({ nodeId, taken, errors, readOnly, onRename }: NodeIdFieldProps) {
  const [text, setText] = useState(nodeId);
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => setText(nodeId), [nodeId]);

  const commit = () => {
    if (text === nodeId) return setProblem(undefined);
    if (!IDENTIFIER.test(text)) {
      return setProblem('must start with a letter and use only letters, digits, _ or - (max 64)');
    }
    if (taken.has(text)) return setProblem(`another node is already called "${text}"`);
    setProblem(undefined);
    onRename(text);
  };
  const shown = problem ? [...errors, problem] : errors;
  return (
    <div className={shown.length ? 'field field-invalid' : 'field'}>
      <label htmlFor="node-id">Node id</label>
      <input
        id="node-id"
        type="text"
        value={text}
        readOnly={readOnly}
        aria-invalid={shown.length > 0 || undefined}
        aria-describedby={shown.length ? 'node-id-errors' : undefined}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => event.key === 'Enter' && commit()}
      />
      {shown.length > 0 && (
        <ul id="node-id-errors" className="field-errors">
          {shown.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
