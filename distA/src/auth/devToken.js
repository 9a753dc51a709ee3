/**
 * Development convenience: with no JWT configuration and the embedded database, the service keeps a
 * generated HS256 secret in `DATA_DIR` and prints a ready-to-use token, so `npm start` works on a
 * fresh machine. With a real `DATABASE_URL` this path is never taken: start-up refuses instead.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { ALL_SCOPES } from './scopes.js';
export async function ensureDevSecret(dataDir) {
    const file = path.join(dataDir, 'dev-jwt-secret');
    try {
        return (await fs.readFile(file, 'utf8')).trim();
    }
    catch (error) {
        if (error.code !== 'ENOENT')
            throw error;
    }
    await fs.mkdir(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    await fs.writeFile(file, secret, { mode: 0o600 });
    return secret;
}
/** Signs an HS256 token: what `npm start` prints and what the CLI's `token` command mints. */
export function mintToken({ secret, sub, scopes = ALL_SCOPES, ttlSeconds = 24 * 3600, audience, issuer, }) {
    const jwt = new SignJWT({ scope: scopes.join(' ') })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(sub)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`);
    if (issuer !== undefined)
        jwt.setIssuer(issuer);
    return jwt.sign(new TextEncoder().encode(secret));
}
//# sourceMappingURL=devToken.js.map