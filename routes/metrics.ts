/**
 * /metrics: the Prometheus text exposition of this instance, for a scraper holding an `admin`
 * token (Prometheus sends one with `authorization: { credentials_file: … }`). It answers during a
 * drain too; queue depth is read from the database at each scrape.
 */
import { Hono } from 'hono'
import type { TokenVerifier } from '../src/auth/tokenVerifier.js'
import { authenticate } from '../src/http/authenticate.js'
import type { ServiceMetrics } from '../src/observability/metrics.js'

export interface MetricsRoutesOptions {
  metrics: ServiceMetrics
  verifyToken: TokenVerifier
}

export function metricsRoutes({ metrics, verifyToken }: MetricsRoutesOptions): Hono {
  const app = new Hono()
  app.get('/metrics', authenticate(verifyToken, 'admin'), async (c) => {
    const text = await metrics.render()
    return c.body(text, 200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' })
  })
  return app
}
