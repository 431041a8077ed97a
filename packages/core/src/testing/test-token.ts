/** An unsigned JWT-shaped token for the simulated transport (its claims are all the engine reads). */
function base64Url(json: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(json));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function makeTestToken(
  claims: { sub?: string; exp?: number; iat?: number } & Record<string, unknown> = {},
): string {
  return `${base64Url({ alg: 'none', typ: 'JWT' })}.${base64Url({ sub: 'alice', ...claims })}.test`;
}
