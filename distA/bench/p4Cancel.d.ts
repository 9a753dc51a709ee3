import type { OpenRunner } from './openRunner.js';
export declare function cancelAcrossInstances({ databaseUrl, ops, warmup }: {
    databaseUrl: string;
    ops?: number;
    warmup?: number;
}, open: OpenRunner): Promise<Record<string, unknown>>;
