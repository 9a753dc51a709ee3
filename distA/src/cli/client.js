/**
 * The CLI's HTTP client for a running service: the base URL (`--url`, `JOB_RUNNER_URL`, or
 * http://127.0.0.1:$PORT), a bearer token (`--token`, `JOB_RUNNER_TOKEN`, or one minted from the
 * configured secret and minted again if it expires), and problem+json errors turned into messages.
 */
import { CliError, EXIT, stringOption } from './command.js';
import { loadCliConfig, mintCliToken } from './secret.js';
export const CLIENT_OPTIONS = {
    url: { type: 'string', description: 'the service (default $JOB_RUNNER_URL or http://127.0.0.1:$PORT)' },
    token: { type: 'string', description: 'bearer token (default $JOB_RUNNER_TOKEN, else minted from the secret)' },
};
/** The service did not answer at all (refused, reset, DNS): worth a retry while following a job. */
export class UnreachableError extends CliError {
    name = 'UnreachableError';
}
export class ApiClient {
    baseUrl;
    tokenSource;
    token;
    constructor(baseUrl, tokenSource) {
        this.baseUrl = baseUrl;
        this.tokenSource = tokenSource;
        if ('fixed' in tokenSource)
            this.token = tokenSource.fixed;
    }
    static fromArgs(args, io) {
        const env = io.env;
        const url = stringOption(args, 'url') ?? env.JOB_RUNNER_URL ?? `http://127.0.0.1:${env.PORT?.trim() || '3000'}`;
        try {
            new URL(url);
        }
        catch {
            throw new CliError(`--url ${JSON.stringify(url)} is not a URL`, EXIT.usage);
        }
        const token = stringOption(args, 'token') ?? (env.JOB_RUNNER_TOKEN?.trim() || undefined);
        if (token !== undefined)
            return new ApiClient(url, { fixed: token });
        // Minted lazily, so a bad configuration only matters to commands that call the service.
        return new ApiClient(url, { mint: () => mintCliToken(loadCliConfig(env), { sub: 'cli', ttlSeconds: 3600 }) });
    }
    /**
     * Sends a request; 2xx and the `accept`ed statuses resolve, anything else throws a `CliError`
     * carrying the problem's detail.
     */
    async request(method, path, { body, headers = {}, accept = [], signal, } = {}) {
        let response = await this.send(method, path, body, headers, signal);
        if (response.status === 401 && 'mint' in this.tokenSource) {
            this.token = undefined;
            response = await this.send(method, path, body, headers, signal);
        }
        const text = await response.text();
        const parsed = text && /json/.test(response.headers.get('content-type') ?? '') ? safeJson(text) : text;
        if (response.ok || accept.includes(response.status))
            return { status: response.status, headers: response.headers, body: parsed };
        throw new CliError(describeFailure(method, path, response.status, parsed), EXIT.service);
    }
    /**
     * Opens a streaming answer (an event stream) and hands back the raw response: the caller reads
     * its body. A 401 with a minted token is retried once with a fresh one, as `request` does.
     */
    async open(path, { headers = {}, signal } = {}) {
        const all = { accept: 'text/event-stream', ...headers };
        let response = await this.send('GET', path, undefined, all, signal);
        if (response.status === 401 && 'mint' in this.tokenSource) {
            await response.body?.cancel();
            this.token = undefined;
            response = await this.send('GET', path, undefined, all, signal);
        }
        return response;
    }
    async send(method, path, body, headers, signal) {
        if (this.token === undefined && 'mint' in this.tokenSource)
            this.token = await this.tokenSource.mint();
        const url = new URL(path, this.baseUrl);
        try {
            return await fetch(url, {
                method,
                headers: {
                    authorization: `Bearer ${this.token}`,
                    accept: 'application/json',
                    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
                    ...headers,
                },
                ...(body === undefined ? {} : { body: JSON.stringify(body) }),
                ...(signal ? { signal } : {}),
            });
        }
        catch (error) {
            if (signal?.aborted)
                throw error;
            const cause = error.cause;
            throw new UnreachableError(`cannot reach ${this.baseUrl}: ${cause?.code ?? cause?.message ?? error.message} (is the service running? set --url or JOB_RUNNER_URL)`, EXIT.service);
        }
    }
}
function safeJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return text;
    }
}
function describeFailure(method, path, status, body) {
    const problem = body !== null && typeof body === 'object'
        ? body
        : undefined;
    const what = problem?.detail ?? problem?.title ?? (typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`);
    const hint = status === 401
        ? ' (check the token: --token, JOB_RUNNER_TOKEN, or JWT_SECRET)'
        : status === 403
            ? ' (the token lacks a scope)'
            : '';
    return `${method} ${path} failed with ${status}: ${what}${hint}`;
}
//# sourceMappingURL=client.js.map