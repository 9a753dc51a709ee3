/**
 * /livez answers while the process lives (even during a shutdown); /readyz only while this instance
 * takes work and its database answers, so a load balancer stops sending it requests in time.
 */
import { Hono } from 'hono';
import type { Lifecycle } from '../src/lifecycle.js';
export interface HealthRoutesOptions {
    lifecycle: Lifecycle;
    /** Resolves when the database answers. */
    pingDatabase: () => Promise<void>;
}
export declare function healthRoutes({ lifecycle, pingDatabase }: HealthRoutesOptions): Hono;
