import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  rewriteNamedParameters,
  type SqlLexer,
} from '../../../../../functions/connectors/sql-common/named-parameters.ts';

const postgres = (sql: string) => rewriteNamedParameters(sql, 'postgres', (position) => `$${position}`);
const mysql = (sql: string) => rewriteNamedParameters(sql, 'mysql', () => '?');

describe('rewriteNamedParameters', () => {
  describe('placeholders', () => {
    it('numbers PostgreSQL placeholders in text order, a repeated name bound twice', () => {
      const result = postgres('SELECT * FROM t WHERE a > $since AND b = $region OR c > $since');

      expect(result).toStrictEqual({
        text: 'SELECT * FROM t WHERE a > $1 AND b = $2 OR c > $3',
        names: ['since', 'region', 'since'],
      });
    });

    it("uses MySQL's positional ? in text order", () => {
      expect(mysql('SELECT * FROM t WHERE a > $since AND b = $region')).toStrictEqual({
        text: 'SELECT * FROM t WHERE a > ? AND b = ?',
        names: ['since', 'region'],
      });
    });

    it('keeps `$` inside identifiers and casts (`a$b`, `x::text`)', () => {
      expect(postgres('SELECT a$b, x::text FROM t').names).toStrictEqual([]);
      expect(mysql('SELECT a$b FROM t').names).toStrictEqual([]);
    });
  });

  describe('text that only looks like a placeholder', () => {
    it.each([
      ["'$x'", 'a string literal'],
      ["'it''s $x'", 'a string with a doubled quote'],
      ["E'\\' $x'", 'an escape string with a backslash quote'],
      ['"$x"', 'a quoted identifier'],
      ['-- $x\n1', 'a line comment'],
      ['/* $x /* nested */ $y */ 1', 'a nested block comment'],
      ['$$ $x $$', 'a dollar-quoted string'],
      ['$fn$ $x $fn$', 'a tagged dollar-quoted string'],
    ])('in PostgreSQL leaves %s (%s) alone', (literal) => {
      const sql = `SELECT ${literal}`;

      expect(postgres(sql)).toStrictEqual({ text: sql, names: [] });
    });

    it.each([
      ["'\\' $x'", 'a string with a backslash-escaped quote'],
      ['"$x"', 'a double-quoted string'],
      ['`$x`', 'a backquoted identifier'],
      ['# $x\n1', 'a hash comment'],
      ['-- $x\n1', 'a dash comment'],
      ['/* $x */ 1', 'a block comment'],
    ])('in MySQL leaves %s (%s) alone', (literal) => {
      const sql = `SELECT ${literal}`;

      expect(mysql(sql)).toStrictEqual({ text: sql, names: [] });
    });

    it('finds no placeholder in any string literal (property)', () => {
      fc.assert(
        fc.property(fc.string(), fc.constantFrom<SqlLexer>('postgres', 'mysql'), (value, lexer) => {
          const escaped = lexer === 'mysql' ? value.replaceAll('\\', '\\\\') : value;
          const sql = `SELECT '${escaped.replaceAll("'", "''")}' AS v WHERE x = $p`;

          const result = rewriteNamedParameters(sql, lexer, () => '?');

          expect(result.names).toStrictEqual(['p']);
          expect(result.text).toBe(sql.replace(/\$p$/, '?'));
        }),
      );
    });
  });

  describe('statements', () => {
    it('drops a trailing semicolon and the comments after it', () => {
      expect(postgres('SELECT 1; -- done\n').text).toBe('SELECT 1');
    });

    it('fails when a second statement follows', () => {
      expect(() => postgres('SELECT 1; DROP TABLE t')).toThrow('query must be a single statement');
      expect(() => mysql("SELECT ';'; DELETE FROM t")).toThrow('query must be a single statement');
    });

    it('fails on positional placeholders, which would shift the binding', () => {
      expect(() => postgres('SELECT * FROM t WHERE a = $1')).toThrow('positional placeholder ($1)');
      expect(() => mysql('SELECT * FROM t WHERE a = ?')).toThrow('positional placeholder (?)');
    });

    it('fails on an unterminated quote or comment', () => {
      expect(() => postgres("SELECT 'abc")).toThrow("unterminated ' quote");
      expect(() => postgres('SELECT $$abc')).toThrow('unterminated $$ quote');
      expect(() => mysql('SELECT 1 /* abc')).toThrow('unterminated /* comment');
    });
  });
});
