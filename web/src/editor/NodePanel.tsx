/** The side panel for the selected node: its id, description and the config form of its module. */
import type { ReactNode } from 'react';
import type { ModuleInfo } from '../api/types.ts';
import { SchemaForm } from '../forms/SchemaForm.tsx';
import type { NodeErrors } from './error-mapping.ts';
import type { ModuleFlowNode, ModuleNodeData } from './model.ts';
import { NodeIdField } from './NodeIdField.tsx';

interface NodePanelProps {
  readonly node: ModuleFlowNode;
  readonly module: ModuleInfo | undefined;
  readonly errors: NodeErrors | undefined;
  readonly takenIds: ReadonlySet<string>;
  readonly readOnly: boolean;
  readonly onChange: (data: Partial<ModuleNodeData>) => void;
  readonly onRename: (to: string) => void;
  readonly onRemove: () => void;
  readonly inputs: ReactNode;
}

/** Node errors outside `config` and not about the id: arity, reachability, unknown module… */
function otherMessages(errors: NodeErrors | undefined): string[] {
  if (!errors) return [];
  return errors.messages.filter((message) => !message.startsWith('/config') && !message.startsWith('/id:'));
}

export function NodePanel({
  node,
  module,
  errors,
  takenIds,
  readOnly,
  onChange,
  onRename,
  onRemove,
  inputs,
}: NodePanelProps) {
  const others = otherMessages(errors);
  const taken = new Set([...takenIds].filter((id) => id !== node.id));
  return (
    <section className="node-panel" aria-labelledby="node-panel-title">
      <h2 id="node-panel-title">
        {node.id} <small>{node.data.module}</small>
      </h2>
      {module ? (
        <p className="module-description">{module.description}</p>
      ) : (
        <p role="alert" className="error-message">
          Module “{node.data.module}” is not in this platform’s registry.
        </p>
      )}
      {others.length > 0 && (
        <ul className="field-errors" aria-label="Node errors">
          {others.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      <NodeIdField
        nodeId={node.id}
        taken={taken}
        errors={errors?.fields.get('id') ?? []}
        readOnly={readOnly}
        onRename={onRename}
      />
      <div className="field">
        <label htmlFor="node-description">Description</label>
        <input
          id="node-description"
          type="text"
          value={node.data.description ?? ''}
          readOnly={readOnly}
          onChange={(event) => onChange({ description: event.target.value || undefined })}
        />
      </div>
      {inputs}
      {module && (
        <fieldset className="config-form">
          <legend>Configuration</legend>
          <SchemaForm
            schema={module.configSchema}
            value={node.data.config}
            errors={errors?.config ?? []}
            idPrefix={`cfg-${node.id}`}
            readOnly={readOnly}
            onChange={(config) => onChange({ config })}
          />
        </fieldset>
      )}
      {!readOnly && (
        <button type="button" className="danger" onClick={onRemove}>
          Remove node {node.id}
        </button>
      )}
    </section>
  );
}
