import { serve } from '@hono/node-server';
import { Hono } from 'hono';
const app = new Hono();
let next = 0;
app.post('/v1/jobs', async (c) => {
    const body = await c.req.json();
    next += 1;
    return c.json({ id: String(next), state: 'queued', ...body }, 202);
});
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    process.stdout.write(`READY ${info.port}\n`);
});
//# sourceMappingURL=bareHono.js.map