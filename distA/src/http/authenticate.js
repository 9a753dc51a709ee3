import { InvalidTokenError, KeysUnavailableError } from '../auth/tokenVerifier.js';
import { HttpProblem } from './problem.js';
const REALM = 'job-runner';
/** Far above any real JWT; a bigger header is refused before any parsing. */
const MAX_TOKEN_LENGTH = 16 * 1024;
/** Admits a request with a valid bearer token that grants `scope`, and puts its principal on the context. */
export const authenticate = (verifyToken, scope) => 
// Not async: a token the cache knows is admitted without a promise of this layer's own.
function authenticate(c, next) {
    const token = bearerToken(c.req.header('authorization'));
    const known = verifyToken.known?.(token);
    if (known !== undefined) {
        admit(c, known, scope);
        return next();
    }
    return verifyThenAdmit(verifyToken, token, c, scope).then(next);
};
/** The token of an `Authorization: Bearer` header, or the 401 a missing or oversized one gets. */
function bearerToken(header) {
    const match = header === undefined ? null : /^Bearer +([^ ]+) *$/i.exec(header);
    if (!match) {
        throw new HttpProblem('unauthorized', 'send a bearer token: Authorization: Bearer <JWT>', {
            headers: { 'www-authenticate': `Bearer realm="${REALM}"` },
        });
    }
    const token = match[1];
    if (token.length > MAX_TOKEN_LENGTH)
        throw invalidToken('the token is too long');
    return token;
}
async function verifyThenAdmit(verifyToken, token, c, scope) {
    let principal;
    try {
        principal = await verifyToken(token);
    }
    catch (error) {
        if (error instanceof KeysUnavailableError) {
            throw new HttpProblem('keys-unavailable', error.message, { headers: { 'retry-after': '5' } });
        }
        if (error instanceof InvalidTokenError)
            throw invalidToken(error.message);
        throw error;
    }
    admit(c, principal, scope);
}
function admit(c, principal, scope) {
    if (!principal.scopes.has(scope)) {
        throw new HttpProblem('insufficient-scope', `this operation needs the scope ${scope}`, {
            headers: { 'www-authenticate': `Bearer realm="${REALM}", error="insufficient_scope", scope="${scope}"` },
        });
    }
    c.set('principal', principal);
}
/** The owner whose jobs a caller may see: its own, or every owner's (`undefined`) for an admin. */
export function ownerScope(principal) {
    return { owner: principal.scopes.has('admin') ? undefined : principal.sub };
}
function invalidToken(description) {
    // The description is ours, never an echo of the token; quotes are stripped to keep the header valid.
    const safe = description.replace(/["\\]/g, '');
    return new HttpProblem('invalid-token', description, {
        headers: { 'www-authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${safe}"` },
    });
}
//# sourceMappingURL=authenticate.js.map