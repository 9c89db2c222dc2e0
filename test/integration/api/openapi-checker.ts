/**
 * Checks API responses against the API's own OpenAPI document: each
 * (method, path template, status) response schema compiled once with Ajv
 * (JSON Schema 2020-12, as OpenAPI 3.1 uses).
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

export interface ResponseChecker {
  /** Throws with Ajv's errors when the body does not match; returns the schema's content type. */
  check(method: string, template: string, status: number, contentType: string | null, body: unknown): void;
  /** Every `METHOD /path` the document has. */
  readonly operations: readonly string[];
}

export async function responseChecker(document: Json): Promise<ResponseChecker> {
  const dereferenced = (await SwaggerParser.dereference(
    structuredClone(document) as never,
  )) as unknown as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  const compiled = new Map<string, ValidateFunction>();
  const paths = dereferenced.paths as Record<string, Record<string, Json>>;
  const operations = Object.entries(paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
  return {
    operations,
    check(method, template, status, contentType, body) {
      const operation = paths[template]?.[method.toLowerCase()];
      if (operation === undefined) throw new Error(`the document has no ${method} ${template}`);
      const responses = operation.responses as Record<string, Json>;
      const response = responses[String(status)];
      if (response === undefined)
        throw new Error(`${method} ${template} answered ${status}, which the document does not list`);
      const content = response.content as Record<string, { schema: Json }> | undefined;
      if (content === undefined) {
        if (body !== undefined && body !== '')
          throw new Error(`${method} ${template} ${status} has a body but no content`);
        return;
      }
      const mediaType = (contentType ?? '').split(';')[0]?.trim() ?? '';
      const entry = content[mediaType];
      if (entry === undefined) {
        throw new Error(
          `${method} ${template} ${status} answered ${mediaType}; the document says ${Object.keys(content).join(', ')}`,
        );
      }
      const key = `${method} ${template} ${status} ${mediaType}`;
      let validate = compiled.get(key);
      if (validate === undefined) {
        validate = ajv.compile(entry.schema);
        compiled.set(key, validate);
      }
      if (!validate(body)) {
        throw new Error(
          `${key} does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`,
        );
      }
    },
  };
}
