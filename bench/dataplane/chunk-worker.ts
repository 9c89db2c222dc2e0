/**
 * One chunk task in a process of its own, to measure a chunk worker's peak
 * RSS as a Lambda container would see it: reads a `fused-chain` event on
 * stdin, runs the real handler against the emulators named in the
 * environment, and prints `{ maxRssMb, baselineRssMb, ms }` on stdout.
 * `baselineRssMb` is the same process after loading the handler, before
 * any data: the runtime's own share.
 */
import type { Context } from 'aws-lambda';
import { handler } from '../../functions/fused-chain/handler.ts';

const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function readStdin(): Promise<string> {
  let text = '';
  for await (const piece of process.stdin) text += String(piece);
  return text;
}

const event: unknown = JSON.parse(await readStdin());
const baselineRssMb = rssMb();
const started = performance.now();
await handler(event, { functionName: 'etl-fused-chain', awsRequestId: 'rss' } as Context);
const report = { maxRssMb: rssMb(), baselineRssMb, ms: Math.round(performance.now() - started) };
process.stdout.write(`${JSON.stringify(report)}\n`);
