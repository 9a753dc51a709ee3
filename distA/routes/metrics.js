/**
 * /metrics: the Prometheus text exposition of this instance, for a scraper holding an `admin`
 * token (Prometheus sends one with `authorization: { credentials_file: … }`). It answers during a
 * drain too; queue depth is read from the database at each scrape.
 */
import { Hono } from 'hono';
import { authenticate } from '../src/http/authenticate.js';
export function metricsRoutes({ metrics, verifyToken }) {
    const app = new Hono();
    app.get('/metrics', authenticate(verifyToken, 'admin'), async (c) => {
        const text = await metrics.render();
        return c.body(text, 200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
    });
    return app;
}
//# sourceMappingURL=metrics.js.map