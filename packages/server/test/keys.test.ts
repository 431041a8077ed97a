import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createVerifier, TokenRejected } from '../src/keys.js';

const now = () => Math.floor(Date.now() / 1000);

/** Waits, if needed, until less than half of the current second has passed. */
async function earlyInASecond(): Promise<void> {
  const into = Date.now() % 1000;
  if (into > 500) await new Promise((resolve) => setTimeout(resolve, 1005 - into));
}
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (k: typeof rsa.publicKey) => k.export({ type: 'spki', format: 'pem' }).toString();

async function reason(p: Promise<unknown>) {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(TokenRejected);
    return (err as TokenRejected).reason;
  }
}

describe('JWT verification', () => {
  it('RS256 public key (PEM, algorithm detected)', async () => {
    const verify = await createVerifier({ publicKey: pem(rsa.publicKey) });
    const t = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('a')
      .setExpirationTime('1h')
      .sign(rsa.privateKey);
    expect(await verify(t)).toMatchObject({ sub: 'a' });
  });

  it('ES256 public key (PEM, algorithm detected)', async () => {
    const verify = await createVerifier({ publicKey: pem(ec.publicKey) });
    const t = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('a')
      .setExpirationTime('1h')
      .sign(ec.privateKey);
    expect(await verify(t)).toMatchObject({ sub: 'a' });
  });

  it('a local JWKS with RS256 and ES256 keys, selected by kid', async () => {
    const jwks = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'r', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'e', alg: 'ES256', use: 'sig' },
      ],
    };
    const verify = await createVerifier({ jwks });
    const r = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'r' })
      .setSubject('a')
      .setExpirationTime('1h')
      .sign(rsa.privateKey);
    const e = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'e' })
      .setSubject('b')
      .setExpirationTime('1h')
      .sign(ec.privateKey);
    expect((await verify(r)).sub).toBe('a');
    expect((await verify(e)).sub).toBe('b');
  });

  it('refuses HS256 signed with the RSA public key as secret (algorithm confusion)', async () => {
    const verify = await createVerifier({ publicKey: pem(rsa.publicKey) });
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('a')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(pem(rsa.publicKey)));
    expect(await reason(verify(forged))).toBe('invalid');
  });

  it('checks iss and aud when configured', async () => {
    const secret = 'a-secret-of-at-least-16-chars';
    const verify = await createVerifier({ secret }, { issuer: 'https://issuer', audience: 'nexmo-session' });
    const sign = (iss: string, aud: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('a')
        .setIssuer(iss)
        .setAudience(aud)
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(secret));
    expect(await reason(verify(await sign('https://issuer', 'nexmo-session')))).toBe('accepted');
    expect(await reason(verify(await sign('https://evil', 'nexmo-session')))).toBe('invalid');
    expect(await reason(verify(await sign('https://issuer', 'other-app')))).toBe('invalid');
  });

  it('accepts exp and nbf within the 5 s skew, refuses beyond (±4 s / ±6 s around the boundary)', async () => {
    const secret = 'a-secret-of-at-least-16-chars';
    const verify = await createVerifier({ secret });
    const sign = (claims: { exp: number; nbf?: number }) => {
      let j = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('a').setExpirationTime(claims.exp);
      if (claims.nbf !== undefined) j = j.setNotBefore(claims.nbf);
      return j.sign(new TextEncoder().encode(secret));
    };
    // Claims and jose's clock are whole seconds: a check that straddles a second boundary sees
    // exp − 4 as exp − 5 (it failed that way once in CI). Each check starts early in a second.
    const check = async (claims: () => { exp: number; nbf?: number }) => {
      await earlyInASecond();
      return reason(verify(await sign(claims())));
    };
    expect(await check(() => ({ exp: now() - 4 }))).toBe('accepted');
    expect(await check(() => ({ exp: now() - 6 }))).toBe('expired');
    expect(await check(() => ({ exp: now() + 60, nbf: now() + 4 }))).toBe('accepted');
    expect(await check(() => ({ exp: now() + 60, nbf: now() + 6 }))).toBe('invalid');
  });

  it('refuses a short secret and a missing key up front', async () => {
    await expect(createVerifier({ secret: 'short' })).rejects.toThrow(/16 characters/);
    await expect(createVerifier({} as never)).rejects.toThrow(/secret/);
  });
});
