import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSecretInput } from '../../../../shared/secrets/read-secret-input.ts';

describe('readSecretInput', () => {
  it('reads a piped secret whole, dropping the one line break at its end', async () => {
    const stdin = Readable.from([Buffer.from('pa ss\nwo'), Buffer.from('rd\n')]);

    expect(await readSecretInput({ stdin, stderr: new PassThrough() }, 'secret: ')).toBe('pa ss\nword');
  });

  it('reads a prompt without echo on a terminal, honouring backspace', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
    const stderr = new PassThrough();
    const echoed: string[] = [];
    stderr.on('data', (data: Buffer) => echoed.push(data.toString()));

    const secret = readSecretInput({ stdin, stderr }, 'secret: ');
    stdin.write('hunter2x\u007f');
    stdin.write('!\r');

    expect(await secret).toBe('hunter2!');
    expect(echoed.join('')).toBe('secret: \n');
  });
});
