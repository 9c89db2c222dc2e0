/** DuckDB failures on user data or user SQL are terminal: retrying the same chunk gives the same error. */
import { DataError, EtlError } from '../errors.ts';

export async function asDataErrors<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EtlError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new DataError(`${what}: ${message}`, { cause: error });
  }
}
