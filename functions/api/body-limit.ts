/**
 * The request-body limit, answered 413 as a problem. A body declared too
 * large is read (and dropped) before answering, up to a cap: a server that
 * answers and closes with the body unread resets the connection, and the
 * client never sees the 413.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiProblem, problemResponse } from './problem.ts';

/** Past this, the connection is dropped rather than the body read. */
const DRAIN_CAP_BYTES = 32 * 1024 * 1024;

async function drain(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (body === null) return;
  const reader = body.getReader();
  try {
    while (!(await reader.read()).done) {
      // Dropped.
    }
  } catch {
    // The client went away: nothing to answer.
  }
}

export function limitBody(maxSize: number): MiddlewareHandler {
  const tooLarge = () => new ApiProblem(413, 'payload-too-large', `the body is larger than ${maxSize} bytes`);
  // Bodies without a length (chunked) are counted as they are read.
  const counted = bodyLimit({ maxSize, onError: (c) => problemResponse(c, tooLarge()) });
  return async (c, next) => {
    const declared = Number(c.req.header('content-length'));
    if (Number.isFinite(declared) && declared > maxSize) {
      if (declared <= DRAIN_CAP_BYTES) await drain(c.req.raw.body);
      return problemResponse(c, tooLarge());
    }
    return counted(c, next);
  };
}
