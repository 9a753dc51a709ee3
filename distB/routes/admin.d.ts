import { Hono } from 'hono';
import type { TokenVerifier } from '../src/auth/tokenVerifier.js';
import type { Lifecycle } from '../src/lifecycle.js';
import type { QueueOverview } from '../src/observability/queueOverview.js';
export interface InstanceInfo {
    instanceId: string;
    concurrency: number;
    queues: readonly string[];
    database: 'postgres' | 'embedded';
    runningJobIds(): string[];
}
export interface AdminRoutesOptions {
    lifecycle: Lifecycle;
    instance: InstanceInfo;
    verifyToken: TokenVerifier;
    /** Every known queue, its jobs per state across every instance, and whether one serves it. */
    queueOverview: () => Promise<QueueOverview>;
}
export declare function adminRoutes({ lifecycle, instance, verifyToken, queueOverview }: AdminRoutesOptions): Hono;
