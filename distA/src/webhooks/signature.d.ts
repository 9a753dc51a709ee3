/** A new secret: 32 random bytes, `whsec_` + base64. */
export declare function newWebhookSecret(): string;
/** Whether `secret` is a Standard Webhooks secret of at least 24 bytes. */
export declare function isWebhookSecret(secret: string): boolean;
/** The three headers of a signed delivery. */
export declare function signedHeaders({ secret, messageId, timestampSeconds, body, }: {
    secret: string;
    messageId: string;
    timestampSeconds: number;
    body: string;
}): Record<string, string>;
