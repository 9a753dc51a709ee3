/**
 * The CLI's HTTP client for a running service: the base URL (`--url`, `JOB_RUNNER_URL`, or
 * http://127.0.0.1:$PORT), a bearer token (`--token`, `JOB_RUNNER_TOKEN`, or one minted from the
 * configured secret and minted again if it expires), and problem+json errors turned into messages.
 */
import { CliError, type CommandIo, type OptionSpec, type ParsedArgs } from './command.js';
export declare const CLIENT_OPTIONS: Record<string, OptionSpec>;
/** The service did not answer at all (refused, reset, DNS): worth a retry while following a job. */
export declare class UnreachableError extends CliError {
    name: string;
}
export interface ApiResponse<T = unknown> {
    status: number;
    headers: Headers;
    body: T;
}
export declare class ApiClient {
    readonly baseUrl: string;
    private readonly tokenSource;
    private token;
    constructor(baseUrl: string, tokenSource: {
        fixed: string;
    } | {
        mint: () => Promise<string>;
    });
    static fromArgs(args: ParsedArgs, io: CommandIo): ApiClient;
    /**
     * Sends a request; 2xx and the `accept`ed statuses resolve, anything else throws a `CliError`
     * carrying the problem's detail.
     */
    request<T = unknown>(method: string, path: string, { body, headers, accept, signal, }?: {
        body?: unknown;
        headers?: Record<string, string>;
        accept?: readonly number[];
        signal?: AbortSignal;
    }): Promise<ApiResponse<T>>;
    /**
     * Opens a streaming answer (an event stream) and hands back the raw response: the caller reads
     * its body. A 401 with a minted token is retried once with a fresh one, as `request` does.
     */
    open(path: string, { headers, signal }?: {
        headers?: Record<string, string>;
        signal?: AbortSignal;
    }): Promise<Response>;
    private send;
}
