/**
 * /metrics: the Prometheus text exposition of this instance, for a scraper holding an `admin`
 * token (Prometheus sends one with `authorization: { credentials_file: … }`). It answers during a
 * drain too; queue depth is read from the database at each scrape.
 */
import { Hono } from 'hono';
import type { TokenVerifier } from '../src/auth/tokenVerifier.js';
import type { ServiceMetrics } from '../src/observability/metrics.js';
export interface MetricsRoutesOptions {
    metrics: ServiceMetrics;
    verifyToken: TokenVerifier;
}
export declare function metricsRoutes({ metrics, verifyToken }: MetricsRoutesOptions): Hono;
