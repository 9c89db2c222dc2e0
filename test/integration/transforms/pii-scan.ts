/** Reads every trace a run leaves (Parquet, JSON, logs) as text, to search it for values that must not be there. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadToFile, listObjects } from '../../../shared/aws/s3-objects.ts';
import { queryRows, withDuckDb } from '../../../shared/duckdb/engine.ts';
import { sqlString } from '../../../shared/duckdb/sql.ts';
import type { TestEnvironment } from '../harness.ts';

/** Every row of every Parquet object (as JSON) and every other object's text, under `prefix`. */
export async function objectTexts(
  env: TestEnvironment,
  bucket: string,
  prefix: string,
  skip: (key: string) => boolean = () => false,
): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const objects = (await listObjects(env.services.s3, bucket, prefix)).filter((object) => !skip(object.key));
  for (const [index, object] of objects.entries()) {
    const path = join(env.scratch, `scan-${index}`);
    await downloadToFile(env.services.s3, bucket, object.key, path);
    // Parquet is compressed: its values are searched as rows, everything else as bytes.
    const text = object.key.endsWith('.parquet')
      ? await withDuckDb({ workDir: env.scratch }, async (connection) => {
          const rows = await queryRows(
            connection,
            `SELECT CAST(to_json(t) AS VARCHAR) AS row FROM read_parquet(${sqlString(path)}) AS t`,
          );
          return rows.map((row) => String(row.row)).join('\n');
        })
      : await readFile(path, 'utf8');
    texts.set(object.key, text);
  }
  return texts;
}

/** The values of `secrets` that occur in `text`. */
export function leaked(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => text.includes(secret));
}
