// A real OpenID Connect provider (the npm package oidc-provider) on loopback, for the sign-in tests.
//
//   node provider.mjs config.json
//
// config.json: {"clients": [{client_id, client_secret, redirect_uris}], "accounts": {"<sub>": {claims}},
//               "id_token_ttl": 60, "wrong_audience": ["<client_id>"], "tampered": ["<client_id>"]}
// It listens on 127.0.0.1 on a free port and prints one line, {"issuer": "http://127.0.0.1:<port>"},
// when it is ready. The sign-in is oidc-provider's own development interaction (a login form that
// takes the account id and any password, then a consent form), driven by the tests with httpx or
// by Chromium. Two test hooks act on the token endpoint's answer for the clients named:
// `wrong_audience` re-signs the id_token (with the provider's own key) for another audience, and
// `tampered` breaks its signature.
import { readFileSync } from 'node:fs';
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
const signingKey = await jose.importJWK(jwk, 'RS256');

const server = http.createServer();
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: config.clients.map((c) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: c.token_endpoint_auth_method || 'client_secret_basic',
    ...c,
  })),
  jwks: { keys: [jwk] },
  cookies: { keys: ['booking-oidc-test-cookie-key'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
    roles: ['roles'],
  },
  conformIdTokenClaims: false, // the scopes' claims go into the id_token, as Entra ID and Keycloak do
  pkce: { required: () => true },
  ttl: { IdToken: config.id_token_ttl || 3600, AuthorizationCode: 120, Interaction: 600, Session: 600, Grant: 600 },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const claims = config.accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
});

function clientIdOf(ctx) {
  const auth = ctx.headers.authorization || '';
  if (auth.startsWith('Basic ')) {
    const [id] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
    return decodeURIComponent(id);
  }
  return ctx.oidc?.client?.clientId;
}

// The development pages import a web font from the internet: the tests stay on loopback.
provider.use(async (ctx, next) => {
  if (ctx.path === '/favicon.ico') {
    ctx.status = 204;
    return;
  }
  await next();
  if (typeof ctx.body === 'string' && ctx.type.startsWith('text/html')) {
    ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);/g, '');
  }
});

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  const clientId = clientIdOf(ctx);
  if ((config.wrong_audience || []).includes(clientId)) {
    const payload = jose.decodeJwt(ctx.body.id_token);
    payload.aud = 'another-client';
    ctx.body.id_token = await new jose.SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' }).sign(signingKey);
  }
  if ((config.tampered || []).includes(clientId)) {
    const [header, payload, signature] = ctx.body.id_token.split('.');
    const flipped = (signature[5] === 'A' ? 'B' : 'A');
    ctx.body.id_token = [header, payload, signature.slice(0, 5) + flipped + signature.slice(6)].join('.');
  }
});

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.on('SIGTERM', () => { server.close(); process.exit(0); });
