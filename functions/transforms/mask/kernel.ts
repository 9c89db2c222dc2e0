/** Mask's data work: one SELECT * REPLACE, each masked column as text through SQL or a closure UDF. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent, sqlString } from '../../../shared/duckdb/sql.ts';
import type { ColumnInfo, TransformKernel } from '../../../shared/modules/kernels.ts';
import { resolveColumn } from '../columns.ts';
import { type MaskKeyReader, readMaskKey } from './key.ts';
import type { MaskConfig, MaskRule } from './module.ts';
import { registerDetectFunction, registerHmacFunction } from './udfs.ts';

/** JSON values lose their quoting; everything else is cast. */
function asText(column: ColumnInfo): string {
  const name = sqlIdent(column.name);
  return column.type === 'JSON' ? `json_extract_string(${name}, '$')` : `CAST(${name} AS VARCHAR)`;
}

/** Masks all of a value no longer than what would be kept, so a short value is never shown whole. */
function partialMask(text: string, keepLast: number, maskChar: string): string {
  const mask = sqlString(maskChar);
  return (
    `CASE WHEN length(${text}) <= ${keepLast} THEN repeat(${mask}, length(${text})) ` +
    `ELSE repeat(${mask}, length(${text}) - ${keepLast}) || right(${text}, ${keepLast}) END`
  );
}

// Names are unique per process, so kernels planned twice on one connection never collide.
let registered = 0;
function functionName(kind: string): string {
  registered += 1;
  return `etl_mask_${kind}_${registered}`;
}

/** Builds the masking expression of one rule, registering the UDF it needs. */
async function maskExpression(
  rule: MaskRule,
  text: string,
  { connection, readKey }: { connection: DuckDBConnection; readKey: MaskKeyReader },
): Promise<string> {
  switch (rule.method) {
    case 'hash': {
      const name = functionName('hmac');
      registerHmacFunction(connection, name, await readKey(rule.secret));
      return `${name}(${text})`;
    }
    case 'redact':
      return `CASE WHEN ${text} IS NULL THEN NULL ELSE ${sqlString(rule.replacement)} END`;
    case 'partial':
      return partialMask(text, rule.keep_last, rule.mask_char);
    case 'detect': {
      const name = functionName('detect');
      registerDetectFunction(connection, name, {
        kinds: rule.kinds,
        tokens: rule.tokens,
        country: rule.country,
      });
      return `${name}(${text})`;
    }
  }
}

export function createMaskKernel(readKey: MaskKeyReader = readMaskKey): TransformKernel<MaskConfig> {
  return async ({ config, connection, inputColumns }) => {
    const replace: string[] = [];
    for (const [index, rule] of config.columns.entries()) {
      const column = resolveColumn(inputColumns, rule.column, {
        module: 'mask',
        field: `columns[${index}].column`,
      });
      const expression = await maskExpression(rule, asText(column), { connection, readKey });
      replace.push(`${expression} AS ${sqlIdent(column.name)}`);
    }
    return `SELECT * REPLACE (${replace.join(', ')}) FROM input`;
  };
}

export const maskKernel = createMaskKernel();
