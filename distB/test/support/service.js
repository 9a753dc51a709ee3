/**
 * Starts the real service in this process on an ephemeral port against a test database, with a
 * known JWT secret, and gives back helpers to call it.
 */
import { loadConfig } from '../../src/config.js';
import { mintToken } from '../../src/auth/devToken.js';
import { startService } from '../../src/service.js';
import { captureLogs } from './logs.js';
export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';
export const TEST_AUDIENCE = 'job-runner';
export async function startTestService(database, env = {}, { registry } = {}) {
    const config = loadConfig({
        PORT: '0',
        JWT_SECRET: TEST_SECRET,
        CHECKPOINT_INTERVAL_SECONDS: '0.2',
        POLL_INTERVAL_MS: '200',
        RETRY_BASE_MS: '50',
        SHUTDOWN_GRACE_SECONDS: '5',
        LOG_LEVEL: 'debug',
        ...database.env,
        ...env,
    });
    const logs = captureLogs(config.logLevel);
    let resolveExit;
    const exited = new Promise((resolve) => (resolveExit = resolve));
    const service = await startService({ config, log: logs.log, exit: resolveExit, ...(registry ? { registry } : {}) });
    const token = ({ sub = 'alice', scopes, ttlSeconds } = {}) => mintToken({
        secret: TEST_SECRET,
        sub,
        audience: config.jwt.audience,
        ...(scopes ? { scopes } : {}),
        ...(ttlSeconds ? { ttlSeconds } : {}),
    });
    return {
        ...service,
        url: service.url,
        logs,
        exited,
        token,
        async request(path, { sub, scopes, token: given, ...init } = {}) {
            const headers = new Headers(init.headers);
            const bearer = given === undefined ? await token({ ...(sub ? { sub } : {}), ...(scopes ? { scopes } : {}) }) : given;
            if (bearer !== null)
                headers.set('authorization', `Bearer ${bearer}`);
            if (init.body !== undefined && !headers.has('content-type'))
                headers.set('content-type', 'application/json');
            return fetch(service.url + path, { ...init, headers });
        },
        async close() {
            void service.lifecycle.shutdown('test');
            await exited;
        },
    };
}
//# sourceMappingURL=service.js.map