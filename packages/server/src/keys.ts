/**
 * JWT verification with jose. One verifier per server: an HS256 secret, an RS256/ES256 public key
 * (PEM), or a local JWKS file. Algorithms are pinned per key kind, which refuses `alg: none` and
 * HS/RS confusion (an HS256 token signed with the public key as its secret).
 */

import { createSecretKey } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { createLocalJWKSet, errors, importSPKI, jwtVerify } from 'jose';

export type KeyOptions =
  | { secret: string }
  | { publicKey: string; algorithm?: 'RS256' | 'ES256' }
  | { jwks: { keys: unknown[] } };

export interface VerifyOptions {
  issuer?: string;
  audience?: string;
  /** Seconds of clock skew accepted on exp/nbf. Default 5. */
  clockToleranceSeconds?: number;
}

export interface VerifiedToken {
  sub: string;
  /** epoch ms */
  expiresAt: number;
}

export type VerifyFailure = 'expired' | 'invalid';

export class TokenRejected extends Error {
  override readonly name = 'TokenRejected';
  constructor(
    readonly reason: VerifyFailure,
    message: string,
  ) {
    super(message);
  }
}

export type Verifier = (token: string) => Promise<VerifiedToken>;

function detectAlgorithm(pem: string): 'RS256' | 'ES256' {
  // An EC public key's SPKI carries the id-ecPublicKey OID; good enough to pick ES256 vs RS256.
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return der.includes(Buffer.from([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01])) ? 'ES256' : 'RS256';
}

export async function createVerifier(keys: KeyOptions, options: VerifyOptions = {}): Promise<Verifier> {
  let key: Parameters<typeof jwtVerify>[1];
  let algorithms: string[];
  if ('secret' in keys) {
    if (typeof keys.secret !== 'string' || keys.secret.length < 16) {
      throw new TypeError('Invalid option `secret`: use at least 16 characters.');
    }
    // A KeyObject, not bytes: jose checks Uint8Array by realm, which fails under jsdom-style globals.
    key = createSecretKey(Buffer.from(keys.secret, 'utf8'));
    algorithms = ['HS256'];
  } else if ('publicKey' in keys) {
    const algorithm = keys.algorithm ?? detectAlgorithm(keys.publicKey);
    key = await importSPKI(keys.publicKey, algorithm);
    algorithms = [algorithm];
  } else if ('jwks' in keys) {
    key = createLocalJWKSet(keys.jwks as Parameters<typeof createLocalJWKSet>[0]);
    algorithms = ['RS256', 'ES256'];
  } else {
    throw new TypeError('Invalid option: one of `secret`, `publicKey` or `jwks` is required.');
  }
  const clockTolerance = options.clockToleranceSeconds ?? 5;

  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], {
        algorithms,
        clockTolerance,
        requiredClaims: ['exp', 'sub'],
        ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
        ...(options.audience !== undefined ? { audience: options.audience } : {}),
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new TokenRejected('expired', 'token expired');
      const code = err instanceof errors.JOSEError ? err.code : 'ERR_INVALID';
      throw new TokenRejected('invalid', `token rejected (${code})`);
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || typeof payload.exp !== 'number') {
      throw new TokenRejected('invalid', 'token rejected (sub and exp required)');
    }
    return { sub: payload.sub, expiresAt: payload.exp * 1000 };
  };
}
