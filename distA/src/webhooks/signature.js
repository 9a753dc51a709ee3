/**
 * Standard Webhooks signing (https://www.standardwebhooks.com, "Signature scheme"): the signed
 * content is `{webhook-id}.{webhook-timestamp}.{body}`, signed with HMAC-SHA256 under the secret's
 * bytes (the base64 after `whsec_`), sent as `webhook-signature: v1,{base64}`. Receivers verify it
 * with any Standard Webhooks library (the tests use the `standardwebhooks` package).
 */
import { createHmac, randomBytes } from 'node:crypto';
const PREFIX = 'whsec_';
/** A new secret: 32 random bytes, `whsec_` + base64. */
export function newWebhookSecret() {
    return PREFIX + randomBytes(32).toString('base64');
}
/** Whether `secret` is a Standard Webhooks secret of at least 24 bytes. */
export function isWebhookSecret(secret) {
    if (!secret.startsWith(PREFIX))
        return false;
    const base64 = secret.slice(PREFIX.length);
    return /^[A-Za-z0-9+/]+={0,2}$/.test(base64) && Buffer.from(base64, 'base64').length >= 24;
}
/** The three headers of a signed delivery. */
export function signedHeaders({ secret, messageId, timestampSeconds, body, }) {
    const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
    const signature = createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
    return {
        'webhook-id': messageId,
        'webhook-timestamp': String(timestampSeconds),
        'webhook-signature': `v1,${signature}`,
    };
}
//# sourceMappingURL=signature.js.map