import type { AddressGuard } from './addressGuard.js';
export interface WebhookAnswer {
    /** The HTTP status, or null when no answer came (refused, timed out, unreachable). */
    status: number | null;
    /** The first bytes of the answer's body, as text. */
    response: string | null;
    /** Why no answer came; undefined when one did. */
    error?: string;
    /** The address was refused by the guard: retrying cannot help. */
    refused?: boolean;
}
export declare class RefusedAddressError extends Error {
    name: string;
}
export declare function sendWebhook({ url, body, headers, guard, timeoutMs, maxResponseBytes, }: {
    url: string;
    body: string;
    headers: Record<string, string>;
    guard: AddressGuard;
    timeoutMs: number;
    maxResponseBytes: number;
}): Promise<WebhookAnswer>;
