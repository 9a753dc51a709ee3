/**
 * Which webhook URLs are accepted when a subscription or a job's callback is made: absolute,
 * `https:` (or `http:` with WEBHOOK_ALLOW_HTTP), no credentials in it, at most 2,048 characters.
 * Where it may connect is decided at delivery, on the resolved address (src/webhooks/addressGuard.ts).
 */
export const MAX_WEBHOOK_URL_LENGTH = 2048;
/** Why `url` is refused, or undefined when it is accepted. */
export function webhookUrlProblem(url, { allowHttp }) {
    if (url.length > MAX_WEBHOOK_URL_LENGTH)
        return `is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`;
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        return 'is not an absolute URL';
    }
    if (parsed.protocol !== 'https:' && !(allowHttp && parsed.protocol === 'http:')) {
        return allowHttp ? 'must be an https: or http: URL' : 'must be an https: URL (http: only with WEBHOOK_ALLOW_HTTP)';
    }
    if (parsed.username !== '' || parsed.password !== '')
        return 'must not carry credentials';
    return undefined;
}
//# sourceMappingURL=webhookUrl.js.map