/** Defaults of the pipeline's `execution` block: the schema, docs and translator read them from here. */
export const EXECUTION_DEFAULTS = {
  /** Target bytes of source data per chunk: fits comfortably in a 1,769 MB Lambda with DuckDB. */
  chunk_size_bytes: 64 * 1024 * 1024,
  max_concurrency: 10,
  /**
   * Hash buckets a barrier (global dedup, aggregate, join, union) spreads rows
   * over; one reduce task each. `auto` scales them with the input, so a
   * reduce task holds about one `chunk_size_bytes` of shuffled rows whatever
   * the input size: each stage shuffles into a power of two >= its chunk
   * count (at most 256), and the barrier reduces in a power of two of tasks
   * covering its shuffled bytes (shared/chunks/reduce-buckets.ts). A number
   * fixes the count for every input.
   */
  shuffle_buckets: 'auto' as 'auto' | number,
  /**
   * A join whose broadcastable input (the right for inner and left joins, the
   * left for right joins) shuffled at most this many Parquet bytes skips the
   * hash buckets: each chunk of the other input is joined against the whole
   * small input. Each join task holds the small input in DuckDB, a few times
   * its Parquet size, so 32 MiB stays far inside a 1,769 MB Lambda.
   */
  broadcast_join_max_bytes: 32 * 1024 * 1024,
  /**
   * Operator fusion: a stage's nodes run over each chunk in one Task (one
   * Lambda, one DuckDB), passing tables instead of Parquet files through S3.
   * `false` gives one Task per node, e.g. to retry or inspect nodes apart.
   */
  fuse: true,
  /**
   * Largest share of a node's input rows it may quarantine before the run fails
   * (checked before any load is published): rejects are kept, but a flood of them
   * usually means a wrong schema or delimiter, not dirty rows.
   */
  max_reject_ratio: 0.05,
  distributed: {
    /**
     * `auto`: the plan decides per run (Distributed Map past `inline_chunk_limit`);
     * `inline` or `distributed` fix the mode for every stage.
     */
    mode: 'auto' as 'auto' | 'inline' | 'distributed',
    /**
     * A stage with more chunks than this runs as a Distributed Map over a chunk
     * list in S3 (child executions): the parent's payloads and history stay small.
     */
    inline_chunk_limit: 200,
    /** EXPRESS children are cheaper but end after 5 minutes; STANDARD allow long chunks. */
    child_execution_type: 'STANDARD' as 'STANDARD' | 'EXPRESS',
    tolerated_failure_percentage: 0,
  },
  /** Whole-run limit, as the state machine's TimeoutSeconds. */
  timeout_seconds: 3600,
  /** Per Lambda Task; Lambda's own maximum is 900. */
  task_timeout_seconds: 900,
  retries: {
    max_attempts: 3,
    interval_seconds: 2,
    backoff_rate: 2,
    max_delay_seconds: 60,
  },
} as const;
