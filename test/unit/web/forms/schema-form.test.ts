// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { createElement, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JsonSchema } from '../../../../web/src/forms/json-schema.ts';
import { type FormError, SchemaForm } from '../../../../web/src/forms/SchemaForm.tsx';

const loaderSchema: JsonSchema = {
  type: 'object',
  properties: {
    bucket: { type: 'string', minLength: 3, description: 'Destination bucket' },
    partition_by: { type: 'array', items: { type: 'string' }, default: [] },
    compression: { type: 'string', enum: ['zstd', 'snappy', 'gzip'], default: 'zstd' },
    header: { type: 'boolean', default: true },
    max_rows: { type: 'integer', minimum: 1 },
    columns: { type: 'object', additionalProperties: { type: 'string' } },
    retry: {
      type: 'object',
      properties: { attempts: { type: 'number' }, mode: { type: 'string' } },
      required: ['attempts'],
    },
  },
  required: ['bucket'],
};

interface HarnessProps {
  readonly schema: JsonSchema;
  readonly initial: Record<string, unknown>;
  readonly errors: FormError[];
  readonly changes: Record<string, unknown>[];
}

/** Holds the form's value in state as a page would, recording every change. */
function Harness({ schema, initial, errors, changes }: HarnessProps) {
  const [value, setValue] = useState(initial);
  return createElement(SchemaForm, {
    schema,
    value,
    errors,
    onChange: (next: Record<string, unknown>) => {
      changes.push(next);
      setValue(next);
    },
  });
}

function renderForm(schema: JsonSchema, initial: Record<string, unknown>, errors: FormError[] = []) {
  const changes: Record<string, unknown>[] = [];
  render(createElement(Harness, { schema, initial, errors, changes }));
  return changes;
}

afterEach(cleanup);

describe('SchemaForm', () => {
  it('renders a labelled control per property, marking required ones', () => {
    renderForm(loaderSchema, {});

    const bucket = screen.getByLabelText(/^bucket/);
    expect(bucket.getAttribute('aria-required')).toBe('true');
    expect(bucket.getAttribute('aria-describedby')).toContain('help');
    expect(screen.getByText('Destination bucket').id).toBe(bucket.getAttribute('aria-describedby'));
    expect(screen.getByLabelText(/^compression/).tagName).toBe('SELECT');
    expect((screen.getByLabelText(/^header/) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByLabelText(/^max_rows/).getAttribute('type')).toBe('number');
    expect(screen.getByLabelText(/^max_rows/).getAttribute('aria-required')).toBeNull();
    expect(screen.getByRole('group', { name: /retry/ })).toBeTruthy();
  });

  it('emits typed values and drops cleared ones so defaults apply', () => {
    const changes = renderForm(loaderSchema, { bucket: 'x' });

    fireEvent.change(screen.getByLabelText(/^bucket/), { target: { value: 'curated' } });
    fireEvent.change(screen.getByLabelText(/^max_rows/), { target: { value: '25' } });
    fireEvent.click(screen.getByLabelText(/^header/));
    fireEvent.change(screen.getByLabelText(/^compression/), { target: { value: 'gzip' } });
    fireEvent.change(screen.getByLabelText(/^bucket/), { target: { value: '' } });

    expect(changes.at(-1)).toStrictEqual({ max_rows: 25, header: false, compression: 'gzip' });
  });

  it('edits an array of strings with add and remove buttons', () => {
    const changes = renderForm(loaderSchema, { bucket: 'curated', partition_by: ['year'] });

    fireEvent.click(screen.getByRole('button', { name: 'Add partition_by' }));
    fireEvent.change(screen.getByLabelText('partition_by 2'), { target: { value: 'state' } });
    expect(changes.at(-1)?.partition_by).toStrictEqual(['year', 'state']);

    fireEvent.click(screen.getByRole('button', { name: 'Remove partition_by 1' }));
    expect(changes.at(-1)?.partition_by).toStrictEqual(['state']);
  });

  it('edits nested objects and string maps', () => {
    const changes = renderForm(loaderSchema, { bucket: 'curated' });

    const retry = screen.getByRole('group', { name: /retry/ });
    fireEvent.change(within(retry).getByLabelText(/^attempts/), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add columns' }));
    fireEvent.change(screen.getByLabelText('columns 1 key'), { target: { value: 'zip' } });
    fireEvent.change(screen.getByLabelText('columns 1 value'), { target: { value: 'VARCHAR' } });

    expect(
      within(retry)
        .getByLabelText(/^attempts/)
        .getAttribute('aria-required'),
    ).toBe('true');
    expect(changes.at(-1)).toStrictEqual({
      bucket: 'curated',
      retry: { attempts: 3 },
      columns: { zip: 'VARCHAR' },
    });
  });

  it('shows each error on the field its pointer names, and the rest at the top', () => {
    renderForm(loaderSchema, { bucket: 'ab', partition_by: ['', 'year'] }, [
      { pointer: '/bucket', message: 'Too small: expected string to have >=3 characters' },
      { pointer: '/retry/attempts', message: 'Required' },
      { pointer: '/partition_by/0', message: 'must not be empty' },
      { pointer: '/unknown_key', message: 'Unrecognized key: "unknown_key"' },
    ]);

    const bucket = screen.getByLabelText(/^bucket/);
    expect(bucket.getAttribute('aria-invalid')).toBe('true');
    const bucketErrors = document.getElementById(`${bucket.id}-errors`);
    expect(bucketErrors?.textContent).toBe('Too small: expected string to have >=3 characters');
    const attempts = within(screen.getByRole('group', { name: /retry/ })).getByLabelText(/^attempts/);
    expect(document.getElementById(`${attempts.id}-errors`)?.textContent).toBe('Required');
    expect(screen.getByLabelText('partition_by 1').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('partition_by 2').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByRole('list', { name: 'Configuration errors' }).textContent).toContain('unknown_key');
  });

  it('edits arrays of objects and falls back to JSON for unions', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        columns: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' }, expression: { type: 'string' } } },
        },
        trim: { anyOf: [{ type: 'boolean' }, { type: 'array', items: { type: 'string' } }] },
      },
    };
    const changes = renderForm(schema, {});

    fireEvent.click(screen.getByRole('button', { name: 'Add columns' }));
    const item = screen.getByRole('group', { name: 'columns 1' });
    fireEvent.change(within(item).getByLabelText(/^name/), { target: { value: 'year' } });
    const trim = screen.getByLabelText(/^trim/);
    fireEvent.change(trim, { target: { value: '["state"]' } });
    fireEvent.blur(trim);

    expect(changes.at(-1)).toStrictEqual({ columns: [{ name: 'year' }], trim: ['state'] });
    fireEvent.change(trim, { target: { value: '[oops' } });
    fireEvent.blur(trim);
    expect(screen.getByText(/not valid JSON/)).toBeTruthy();
  });

  it('renders read-only controls without add or remove buttons for viewers', () => {
    const onChange = vi.fn();
    render(
      createElement(SchemaForm, {
        schema: loaderSchema,
        value: { partition_by: ['year'] },
        onChange,
        readOnly: true,
      }),
    );

    expect(screen.getByLabelText(/^bucket/).hasAttribute('readonly')).toBe(true);
    expect(screen.queryByRole('button')).toBeNull();
    expect(onChange).not.toHaveBeenCalled();
  });
});
