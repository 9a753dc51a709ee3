export interface ReceivedWebhook {
    path: string;
    headers: Record<string, string>;
    body: string;
}
export interface WebhookReceiver {
    readonly url: string;
    readonly received: ReceivedWebhook[];
    /** Resolves once `count` requests have arrived (already or to come). */
    waitForCount(count: number, timeoutMs?: number): Promise<void>;
    close(): Promise<void>;
}
export declare function startWebhookReceiver(answer?: (request: ReceivedWebhook, index: number) => number | 'hold'): Promise<WebhookReceiver>;
