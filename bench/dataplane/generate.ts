/**
 * The reference CSV, generated deterministically from a seed: id; email with
 * ~10% duplicates differing in case and surrounding spaces; one of 20
 * countries; amount, ~10% negative; an ISO timestamp; a note with RFC 4180
 * quoting (commas, doubled quotes). 1,000,000 rows is about 80 MB.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const COUNTRIES = [
  'US',
  'CA',
  'MX',
  'BR',
  'AR',
  'GB',
  'FR',
  'DE',
  'ES',
  'IT',
  'NL',
  'SE',
  'PL',
  'IN',
  'CN',
  'JP',
  'KR',
  'AU',
  'NZ',
  'ZA',
];
const NOTES = ['ok', 'rush, please', 'said "thanks"', 'gift wrap', 'call first, then ship', ''];

/** mulberry32: small, fast and the same on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export async function generateReferenceCsv(path: string, rows: number, seed = 42): Promise<number> {
  const next = random(seed);
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('id,email,country,amount,ts,note\n');
  const start = Date.UTC(2022, 0, 1);
  const span = Date.UTC(2025, 0, 1) - start;
  let batch = '';
  for (let id = 1; id <= rows; id++) {
    // About one row in ten repeats an earlier customer's email, in another case and with spaces.
    const duplicate = id > 10 && next() < 0.1;
    const customer = duplicate ? Math.floor(next() * (id - 1)) + 1 : id;
    let email = `customer${customer}@example.com`;
    if (duplicate) email = `${next() < 0.5 ? ' ' : ''}${email.toUpperCase()}${next() < 0.5 ? '  ' : ''}`;
    const amount = ((next() < 0.1 ? -1 : 1) * Math.round(next() * 100_000)) / 100;
    const ts = new Date(start + Math.floor(next() * span)).toISOString();
    const note = NOTES[Math.floor(next() * NOTES.length)] ?? '';
    const country = COUNTRIES[Math.floor(next() * COUNTRIES.length)] ?? 'US';
    batch += `${id},${csvField(email)},${country},${amount.toFixed(2)},${ts},${csvField(note)}\n`;
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch);
  out.end();
  await once(out, 'finish');
  return bytes;
}
