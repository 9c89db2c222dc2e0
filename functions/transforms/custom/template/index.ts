/**
 * Template of a `custom` transform: copy this folder, rename it, and name it
 * in the node's config (`"function": "<folder>"`). Export `transform`.
 */
import type { Table } from 'apache-arrow';
import type { CustomContext, CustomFunction } from '../types.ts';

export const transform: CustomFunction = (batch: Table, _context: CustomContext): Table => {
  // Return a new Arrow table; this one passes the chunk through unchanged.
  return batch;
};
