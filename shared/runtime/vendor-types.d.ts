/** Minimal types for the two emulators, which ship none. */

declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
  }

  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    /** S3 notification records (`{ Records }`) on object writes and deletes: s3rver is a Koa app, an EventEmitter. */
    on(event: 'event', listener: (notification: unknown) => void): this;
    off(event: 'event', listener: (notification: unknown) => void): this;
  }
}

declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }

  export default function dynalite(options: DynaliteOptions): Server;
}
