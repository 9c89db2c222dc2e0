/** The node's incoming edges as a form, so a graph can be wired from the keyboard as well as by dragging. */
import { useState } from 'react';

interface NodeInputsProps {
  readonly nodeId: string;
  readonly inputs: readonly string[];
  /** Nodes that may feed this one (not itself, not loaders, not already connected). */
  readonly candidates: readonly string[];
  readonly readOnly: boolean;
  readonly onAdd: (source: string) => void;
  readonly onRemove: (source: string) => void;
}

export function NodeInputs({ nodeId, inputs, candidates, readOnly, onAdd, onRemove }: NodeInputsProps) {
  const [choice, setChoice] = useState('');
  const selected = candidates.includes(choice) ? choice : (candidates[0] ?? '');
  return (
    <fieldset className="field">
      <legend>Inputs</legend>
      {inputs.length === 0 && <p>No input connected.</p>}
      <ul>
        {inputs.map((source) => (
          <li key={source}>
            {source} → {nodeId}{' '}
            {!readOnly && (
              <button type="button" onClick={() => onRemove(source)}>
                Disconnect <span className="visually-hidden">{`${source} from ${nodeId}`}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && candidates.length > 0 && (
        <div className="list-row">
          <label htmlFor="node-input-source" className="visually-hidden">
            Connect input from
          </label>
          <select id="node-input-source" value={selected} onChange={(event) => setChoice(event.target.value)}>
            {candidates.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
          <button type="button" onClick={() => selected && onAdd(selected)}>
            Connect input
          </button>
        </div>
      )}
    </fieldset>
  );
}
