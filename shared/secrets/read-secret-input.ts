/**
 * Reads a secret the way `etl connections add` takes it: piped on stdin, or
 * typed at a prompt with no echo. Never from the command line, where it
 * would sit in the shell history and the process list.
 */
import type { Readable, Writable } from 'node:stream';

export interface SecretInput {
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly stderr: Writable;
}

/** All of a piped stdin, without the one line break `echo` or a file adds at the end. */
export async function readPipedSecret(stdin: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stdin) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(String(part)));
  return Buffer.concat(parts)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const ENTER = new Set(['\r', '\n']);
const BACKSPACE = new Set(['\u007f', '\b']);
const INTERRUPT = '\u0003';

/** A prompt on the terminal: keys are read raw, so nothing is echoed. */
function promptHidden(input: SecretInput, prompt: string): Promise<string> {
  const { stdin, stderr } = input;
  stderr.write(prompt);
  stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (data: Buffer | string) => {
      for (const char of data.toString()) {
        if (ENTER.has(char)) return finish();
        if (char === INTERRUPT) return finish(new Error('cancelled'));
        value = BACKSPACE.has(char) ? value.slice(0, -1) : value + char;
      }
    };
    stdin.on('data', onData);
  });
}

export function readSecretInput(input: SecretInput, prompt: string): Promise<string> {
  return input.stdin.isTTY ? promptHidden(input, prompt) : readPipedSecret(input.stdin);
}
