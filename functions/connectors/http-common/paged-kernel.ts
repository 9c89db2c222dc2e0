/**
 * The kernel of an API extractor: pages are only known one after another
 * (cursors, links), so the read is one chunk whose pages stream into Parquet.
 */
import type { ChunkDescriptor } from '../../../shared/chunks/ref.ts';
import type { ExtractorKernel } from '../../../shared/modules/kernels.ts';
import type { HttpCommonConfig } from './config.ts';
import { writeRecordPagesToParquet } from './records-parquet.ts';
import { type HttpSession, type HttpSessionDeps, openHttpSession } from './session.ts';

export function pagedApiKernel<TConfig extends HttpCommonConfig>(
  recordPages: (config: TConfig, session: HttpSession) => AsyncIterable<readonly unknown[]>,
  deps: HttpSessionDeps,
): ExtractorKernel<TConfig> {
  return {
    plan: async (): Promise<ChunkDescriptor[]> => [{ index: 0 }],
    async extract(config, _chunk, io) {
      const session = await openHttpSession(config, deps);
      const { records, rows } = await writeRecordPagesToParquet(
        io.connection,
        recordPages(config, session),
        io.workDir,
        io.outputPath,
      );
      return { rowsIn: records, rowsOut: rows, rowsRejected: 0 };
    },
  };
}
