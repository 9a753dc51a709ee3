import type { Duplex } from 'node:stream';
export declare function answerClientError(error: Error & {
    code?: string;
}, socket: Duplex): void;
