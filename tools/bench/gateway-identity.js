// pet-service authenticates every caller (docs/security.md), so the bench's calls straight to it
// carry a service token as the gateway signs them: the bench gives its stack's gateway a key of
// its own making (API_GATEWAY_IDENTITY_KEY) and signs with that key. The claims are those of
// libs/platform/src/lib/service-auth/service-token.ts, which plain Node cannot import.
const { createHash, createPublicKey, generateKeyPairSync } = require('node:crypto');
const { JwtService } = require('@nestjs/jwt');

/** Tokens live 60 s; one is reused for half of that, so signing costs the load nothing. */
const TOKEN_TTL_SECONDS = 60;
const REUSE_MS = 30_000;

function createGatewayIdentity() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { crv, kty, x, y } = createPublicKey(privateKey).export({ format: 'jwk' });
  // RFC 7638 thumbprint, as the services derive the key id.
  const kid = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
  const jwt = new JwtService();
  const cached = new Map();

  /** `Authorization` for a call from the gateway to `audience`, for `user` ({ id, username, roles }) or for no user. */
  function authorization(audience, user) {
    const key = `${audience} ${user?.username ?? ''}`;
    let token = cached.get(key);
    if (!token || Date.now() - token.at > REUSE_MS) {
      const iat = Math.floor(Date.now() / 1000);
      const claims = { iss: 'api-gateway', sub: 'api-gateway', aud: audience, iat, exp: iat + TOKEN_TTL_SECONDS, ...(user ? { user } : {}) };
      token = { at: Date.now(), value: `Bearer ${jwt.sign(claims, { algorithm: 'ES256', privateKey, keyid: kid })}` };
      cached.set(key, token);
    }
    return token.value;
  }

  return { environment: { API_GATEWAY_IDENTITY_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }) }, authorization };
}

module.exports = { createGatewayIdentity };
