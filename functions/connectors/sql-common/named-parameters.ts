/**
 * `$name` placeholders in a user's SQL become the driver's own placeholders,
 * and the pipeline parameter of that name is bound as a value: a value is
 * never spliced into SQL text. A small lexer skips string literals, quoted
 * identifiers and comments (and PostgreSQL's dollar quotes), so `'$x'` or
 * `-- $x` stays text. The same pass refuses a second statement.
 */
import { ConfigError } from '../../../shared/errors.ts';

export type SqlLexer = 'postgres' | 'mysql';

export interface RewrittenSql {
  /** The SQL with each `$name` replaced and any trailing `;` removed. */
  readonly text: string;
  /** Parameter names in placeholder order (a name used twice appears twice). */
  readonly names: readonly string[];
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_$]/;

function isIdentPart(char: string | undefined): boolean {
  return char !== undefined && IDENT_PART.test(char);
}

/** End (exclusive) of a quoted run starting at `start`, doubling the quote to escape it, with optional backslash escapes. */
function quotedEnd(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let index = start + 1;
  while (index < sql.length) {
    const char = sql[index];
    if (backslashEscapes && char === '\\') {
      index += 2;
      continue;
    }
    if (char === quote) {
      if (sql[index + 1] === quote) {
        index += 2;
        continue;
      }
      return index + 1;
    }
    index++;
  }
  throw new ConfigError(`query has an unterminated ${quote} quote`);
}

function lineCommentEnd(sql: string, start: number): number {
  const end = sql.indexOf('\n', start);
  return end < 0 ? sql.length : end + 1;
}

function blockCommentEnd(sql: string, start: number, nested: boolean): number {
  let depth = 0;
  let index = start;
  while (index < sql.length) {
    if (sql.startsWith('/*', index) && (nested || depth === 0)) {
      depth++;
      index += 2;
    } else if (sql.startsWith('*/', index)) {
      depth--;
      index += 2;
      if (depth === 0) return index;
    } else {
      index++;
    }
  }
  throw new ConfigError('query has an unterminated /* comment');
}

/** A PostgreSQL dollar-quote tag (`$$` or `$tag$`) at `start`, if there is one. */
function dollarTag(sql: string, start: number): string | undefined {
  const match = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(start, start + 66));
  return match?.[0];
}

/** Length of whatever literal, identifier or comment starts at `index`, or 0. */
function skippable(sql: string, index: number, lexer: SqlLexer): number {
  const char = sql[index];
  const next = sql[index + 1];
  if (char === '-' && next === '-') {
    // MySQL needs whitespace after `--` for a comment (`1--1` is arithmetic).
    if (lexer === 'mysql' && !/\s/.test(sql[index + 2] ?? ' ')) return 0;
    return lineCommentEnd(sql, index) - index;
  }
  if (char === '#' && lexer === 'mysql') return lineCommentEnd(sql, index) - index;
  if (char === '/' && next === '*') return blockCommentEnd(sql, index, lexer === 'postgres') - index;
  if (char === "'") {
    // PostgreSQL honours backslashes only in E'...' strings; MySQL always does.
    const escaped = lexer === 'mysql' || (/[eE]/.test(sql[index - 1] ?? '') && !isIdentPart(sql[index - 2]));
    return quotedEnd(sql, index, "'", escaped) - index;
  }
  if (char === '"') return quotedEnd(sql, index, '"', lexer === 'mysql') - index;
  if (char === '`' && lexer === 'mysql') return quotedEnd(sql, index, '`', false) - index;
  if (char === '$' && lexer === 'postgres' && !isIdentPart(sql[index - 1])) {
    const tag = dollarTag(sql, index);
    if (tag !== undefined) {
      const end = sql.indexOf(tag, index + tag.length);
      if (end < 0) throw new ConfigError(`query has an unterminated ${tag} quote`);
      return end + tag.length - index;
    }
  }
  return 0;
}

/**
 * Replaces `$name` placeholders with `placeholder(position, name)`, numbering
 * from 1 in text order. Fails on a second statement or on the driver's own
 * positional placeholders, which would shift the binding.
 */
export function rewriteNamedParameters(
  sql: string,
  lexer: SqlLexer,
  placeholder: (position: number, name: string) => string,
): RewrittenSql {
  const names: string[] = [];
  let text = '';
  let index = 0;
  let endedAt: number | undefined;
  while (index < sql.length) {
    const skip = skippable(sql, index, lexer);
    if (skip > 0) {
      text += sql.slice(index, index + skip);
      index += skip;
      continue;
    }
    const char = sql[index] as string;
    if (endedAt !== undefined && !/\s|;/.test(char)) {
      throw new ConfigError('query must be a single statement: nothing may follow ";"');
    }
    if (char === ';') {
      endedAt ??= text.length;
      index++;
      continue;
    }
    if (char === '$' && !isIdentPart(sql[index - 1])) {
      const match = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(sql.slice(index));
      if (match?.[1] !== undefined && IDENT_START.test(match[1])) {
        names.push(match[1]);
        text += placeholder(names.length, match[1]);
        index += match[0].length;
        continue;
      }
      if (/^\$\d/.test(sql.slice(index))) {
        throw new ConfigError(
          'query uses a positional placeholder ($1); name parameters instead, e.g. $since',
        );
      }
    }
    if (char === '?' && lexer === 'mysql') {
      throw new ConfigError('query uses a positional placeholder (?); name parameters instead, e.g. $since');
    }
    text += char;
    index++;
  }
  return { text: (endedAt === undefined ? text : text.slice(0, endedAt)).trimEnd(), names };
}
