/** Pipeline-level settings form; errors the API reported for the pipeline itself are shown on their fields. */
import type { ValidationIssue } from '../api/types.ts';
import { isRecord } from '../forms/json-schema.ts';
import { SchemaForm } from '../forms/SchemaForm.tsx';
import type { PipelineMeta } from './model.ts';
import { settingsSchema } from './settings-schema.ts';

interface SettingsPanelProps {
  readonly meta: PipelineMeta;
  readonly isNew: boolean;
  readonly errors: readonly ValidationIssue[];
  readonly readOnly: boolean;
  readonly onChange: (meta: PipelineMeta) => void;
}

/** Every trigger is an S3 trigger; the form doesn't ask for the constant. */
function withTriggerType(value: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(value.triggers)) return value;
  return {
    ...value,
    triggers: value.triggers.map((trigger) => (isRecord(trigger) ? { ...trigger, type: 's3' } : trigger)),
  };
}

export function SettingsPanel({ meta, isNew, errors, readOnly, onChange }: SettingsPanelProps) {
  return (
    <section className="settings-panel" aria-labelledby="settings-title">
      <h2 id="settings-title">Pipeline settings</h2>
      {!isNew && (
        <p>
          Pipeline id <code>{meta.id}</code>
        </p>
      )}
      <SchemaForm
        schema={settingsSchema(isNew)}
        value={meta as Record<string, unknown>}
        errors={errors}
        idPrefix="settings"
        readOnly={readOnly}
        onChange={(value) =>
          onChange({ ...withTriggerType(value), name: typeof value.name === 'string' ? value.name : '' })
        }
      />
    </section>
  );
}
