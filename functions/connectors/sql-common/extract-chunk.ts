/** Extracts one chunk: its slice of the source, streamed through a server-side cursor into Parquet. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { type ChunkDescriptor, parseChunkDescriptor } from '../../../shared/chunks/ref.ts';
import type { ConnectorIo, ExtractResult } from '../../../shared/modules/kernels.ts';
import { writeBatchesToParquet } from './duckdb-rows.ts';
import type { SqlExtractConfig } from './extract-config.ts';
import { SqlChunkSchema } from './extract-plan.ts';
import { chunkQuery } from './extract-query.ts';
import type { SqlDialect } from './session.ts';

export async function extractSqlChunk(
  dialect: SqlDialect,
  config: SqlExtractConfig,
  descriptor: ChunkDescriptor,
  io: ConnectorIo & { readonly connection: DuckDBConnection; readonly outputPath: string },
): Promise<ExtractResult> {
  const chunk = parseChunkDescriptor(SqlChunkSchema, descriptor, dialect.name);
  const session = await dialect.open(config.connection);
  try {
    const query = chunkQuery(
      { dialect, config, parameters: io.parameters, defaultSchema: session.defaultSchema },
      chunk.window,
      chunk.range,
    );
    const { rows } = await writeBatchesToParquet(
      io.connection,
      session.stream(query.text, query.params, config.fetch_rows),
      io.outputPath,
      `chunk ${chunk.index}`,
    );
    // The database typed every value already: nothing is rejected.
    return { rowsIn: rows, rowsOut: rows, rowsRejected: 0 };
  } finally {
    await session.close();
  }
}
