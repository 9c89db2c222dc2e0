/** The normalize transform's data work: one SELECT * REPLACE, plus rejects for unparsable values. */
import { sqlIdent, sqlString } from '../../../shared/duckdb/sql.ts';
import { ConfigError } from '../../../shared/errors.ts';
import type { ColumnInfo, TransformPlanKernel } from '../../../shared/modules/kernels.ts';
import type { NormalizeConfig, NormalizeOperation } from './module.ts';
import { PHONE_FUNCTION, registerPhoneFunction } from './phone.ts';

interface Failure {
  readonly column: string;
  readonly op: string;
  /** TRUE where a non-blank value did not parse. */
  readonly condition: string;
  readonly text: string;
}

/** The value as text; JSON values (numbers or strings in one column) lose their JSON quoting. */
function asText(expression: string, type: string | undefined): string {
  return type === 'JSON' ? `json_extract_string(${expression}, '$')` : `CAST(${expression} AS VARCHAR)`;
}

function parsedFromFormats(text: string, formats: readonly string[]): string {
  return `coalesce(${formats.map((format) => `try_strptime(${text}, ${sqlString(format)})`).join(', ')})`;
}

function numberFromText(text: string, decimalSeparator: '.' | ','): string {
  const thousands = decimalSeparator === '.' ? ',' : '.';
  const unified = `replace(replace(${text}, ${sqlString(thousands)}, ''), ${sqlString(decimalSeparator)}, '.')`;
  // Keeps digits, sign, point and exponent: drops currency signs, spaces and apostrophes.
  return `TRY_CAST(nullif(regexp_replace(${unified}, '[^0-9eE+.\\-]', '', 'g'), '') AS DOUBLE)`;
}

function applyOperation(operation: NormalizeOperation, text: string): string {
  switch (operation.op) {
    case 'email':
      return `lower(trim(${text}))`;
    case 'whitespace':
      return `trim(regexp_replace(${text}, '\\s+', ' ', 'g'))`;
    case 'text':
      return text;
    case 'nfc':
      return `nfc_normalize(${text})`;
    case 'phone':
      return `${PHONE_FUNCTION}(${text}, ${sqlString(operation.country)})`;
    case 'date':
      return `CAST(${parsedFromFormats(`trim(${text})`, operation.formats)} AS DATE)`;
    case 'timestamp':
      return parsedFromFormats(`trim(${text})`, operation.formats);
    case 'number':
      return numberFromText(text, operation.decimalSeparator);
  }
}

function rejectsQuery(failures: readonly Failure[]): string {
  const whens = (value: (failure: Failure) => string) =>
    failures.map((failure) => `WHEN ${failure.condition} THEN ${value(failure)}`).join(' ');
  const reason = (failure: Failure) =>
    `${sqlString(`cannot normalize column "${failure.column}" as ${failure.op}: value `)} || ${failure.text}`;
  return (
    `SELECT record, "column", error_type, reason, raw FROM (SELECT row_number() OVER () AS record, ` +
    `CASE ${whens((failure) => sqlString(failure.column))} END AS "column", ` +
    `CASE ${whens((failure) => sqlString(`normalize:${failure.op}`))} END AS error_type, ` +
    `CASE ${whens(reason)} END AS reason, CAST(to_json(input) AS VARCHAR) AS raw FROM input) WHERE reason IS NOT NULL`
  );
}

/** Builds each column's final expression and the conditions under which a row is rejected. */
export function planNormalize(
  operations: readonly NormalizeOperation[],
  columns: readonly ColumnInfo[],
): { replacements: Map<string, string>; failures: Failure[] } {
  const types = new Map(columns.map((column) => [column.name, column.type]));
  const replacements = new Map<string, string>();
  const failures: Failure[] = [];
  for (const operation of operations) {
    if (!types.has(operation.column)) {
      throw new ConfigError(`normalize: column "${operation.column}" is not in the input`);
    }
    const previous = replacements.get(operation.column);
    const text =
      previous === undefined
        ? asText(sqlIdent(operation.column), types.get(operation.column))
        : asText(previous, undefined);
    const result = applyOperation(operation, text);
    replacements.set(operation.column, result);
    if ('onInvalid' in operation && operation.onInvalid === 'reject') {
      failures.push({
        column: operation.column,
        op: operation.op,
        condition: `(nullif(trim(${text}), '') IS NOT NULL AND (${result}) IS NULL)`,
        text: `coalesce(${text}, 'NULL')`,
      });
    }
  }
  return { replacements, failures };
}

export const normalizeKernel: TransformPlanKernel<NormalizeConfig> = async ({
  config,
  connection,
  inputColumns,
}) => {
  if (config.operations.some((operation) => operation.op === 'phone')) registerPhoneFunction(connection);
  const { replacements, failures } = planNormalize(config.operations, inputColumns);
  const replace = [...replacements].map(([column, expression]) => `${expression} AS ${sqlIdent(column)}`);
  const select = `SELECT * REPLACE (${replace.join(', ')}) FROM input`;
  if (failures.length === 0) return { query: select };
  const anyFailure = failures.map((failure) => failure.condition).join(' OR ');
  return { query: `${select} WHERE NOT coalesce(${anyFailure}, FALSE)`, rejects: rejectsQuery(failures) };
};
