/**
 * Which webhook URLs are accepted when a subscription or a job's callback is made: absolute,
 * `https:` (or `http:` with WEBHOOK_ALLOW_HTTP), no credentials in it, at most 2,048 characters.
 * Where it may connect is decided at delivery, on the resolved address (src/webhooks/addressGuard.ts).
 */
export declare const MAX_WEBHOOK_URL_LENGTH = 2048;
/** Why `url` is refused, or undefined when it is accepted. */
export declare function webhookUrlProblem(url: string, { allowHttp }: {
    allowHttp: boolean;
}): string | undefined;
