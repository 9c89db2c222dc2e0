import { describe, expect, it } from 'vitest';
import { base64Url, challengeOf, createState, createVerifier } from '../../../../web/src/auth/pkce.ts';

describe('createVerifier', () => {
  it('makes 43 unreserved characters, different every time', () => {
    const first = createVerifier();
    const second = createVerifier();

    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
  });
});

describe('challengeOf', () => {
  it('matches the S256 example of RFC 7636 appendix B', async () => {
    const challenge = await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');

    expect(challenge).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('is the base64url SHA-256 of the verifier, without padding', async () => {
    // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad
    expect(await challengeOf('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });
});

describe('base64Url', () => {
  it('uses - and _ and drops the padding', () => {
    expect(base64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });
});

describe('createState', () => {
  it('makes a fresh unguessable value for each request', () => {
    expect(createState()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(createState()).not.toBe(createState());
  });
});
