/**
 * The CLI's HTTP client for a running service: the base URL (`--url`, `JOB_RUNNER_URL`, or
 * http://127.0.0.1:$PORT), a bearer token (`--token`, `JOB_RUNNER_TOKEN`, or one minted from the
 * configured secret and minted again if it expires), and problem+json errors turned into messages.
 */
import { CliError, EXIT, stringOption, type CommandIo, type OptionSpec, type ParsedArgs } from './command.js'
import { loadCliConfig, mintCliToken } from './secret.js'

export const CLIENT_OPTIONS: Record<string, OptionSpec> = {
  url: { type: 'string', description: 'the service (default $JOB_RUNNER_URL or http://127.0.0.1:$PORT)' },
  token: { type: 'string', description: 'bearer token (default $JOB_RUNNER_TOKEN, else minted from the secret)' },
}

/** The service did not answer at all (refused, reset, DNS): worth a retry while following a job. */
export class UnreachableError extends CliError {
  override name = 'UnreachableError'
}

export interface ApiResponse<T = unknown> {
  status: number
  headers: Headers
  body: T
}

export class ApiClient {
  private token: string | undefined

  constructor(
    readonly baseUrl: string,
    private readonly tokenSource: { fixed: string } | { mint: () => Promise<string> },
  ) {
    if ('fixed' in tokenSource) this.token = tokenSource.fixed
  }

  static fromArgs(args: ParsedArgs, io: CommandIo): ApiClient {
    const env = io.env
    const url = stringOption(args, 'url') ?? env.JOB_RUNNER_URL ?? `http://127.0.0.1:${env.PORT?.trim() || '3000'}`
    try {
      new URL(url)
    } catch {
      throw new CliError(`--url ${JSON.stringify(url)} is not a URL`, EXIT.usage)
    }
    const token = stringOption(args, 'token') ?? (env.JOB_RUNNER_TOKEN?.trim() || undefined)
    if (token !== undefined) return new ApiClient(url, { fixed: token })
    // Minted lazily, so a bad configuration only matters to commands that call the service.
    return new ApiClient(url, { mint: () => mintCliToken(loadCliConfig(env), { sub: 'cli', ttlSeconds: 3600 }) })
  }

  /**
   * Sends a request; 2xx and the `accept`ed statuses resolve, anything else throws a `CliError`
   * carrying the problem's detail.
   */
  async request<T = unknown>(
    method: string,
    path: string,
    {
      body,
      headers = {},
      accept = [],
      signal,
    }: { body?: unknown; headers?: Record<string, string>; accept?: readonly number[]; signal?: AbortSignal } = {},
  ): Promise<ApiResponse<T>> {
    let response = await this.send(method, path, body, headers, signal)
    if (response.status === 401 && 'mint' in this.tokenSource) {
      this.token = undefined
      response = await this.send(method, path, body, headers, signal)
    }
    const text = await response.text()
    const parsed = text && /json/.test(response.headers.get('content-type') ?? '') ? safeJson(text) : text
    if (response.ok || accept.includes(response.status))
      return { status: response.status, headers: response.headers, body: parsed as T }
    throw new CliError(describeFailure(method, path, response.status, parsed), EXIT.service)
  }

  /**
   * Opens a streaming answer (an event stream) and hands back the raw response: the caller reads
   * its body. A 401 with a minted token is retried once with a fresh one, as `request` does.
   */
  async open(path: string, { headers = {}, signal }: { headers?: Record<string, string>; signal?: AbortSignal } = {}) {
    const all = { accept: 'text/event-stream', ...headers }
    let response = await this.send('GET', path, undefined, all, signal)
    if (response.status === 401 && 'mint' in this.tokenSource) {
      await response.body?.cancel()
      this.token = undefined
      response = await this.send('GET', path, undefined, all, signal)
    }
    return response
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    if (this.token === undefined && 'mint' in this.tokenSource) this.token = await this.tokenSource.mint()
    const url = new URL(path, this.baseUrl)
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
      })
    } catch (error) {
      if (signal?.aborted) throw error
      const cause = (error as { cause?: { code?: string; message?: string } }).cause
      throw new UnreachableError(
        `cannot reach ${this.baseUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message} (is the service running? set --url or JOB_RUNNER_URL)`,
        EXIT.service,
      )
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function describeFailure(method: string, path: string, status: number, body: unknown): string {
  const problem =
    body !== null && typeof body === 'object'
      ? (body as { title?: string; detail?: string; errors?: { pointer: string; message: string }[] })
      : undefined
  const what =
    problem?.detail ?? problem?.title ?? (typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`)
  const hint =
    status === 401
      ? ' (check the token: --token, JOB_RUNNER_TOKEN, or JWT_SECRET)'
      : status === 403
        ? ' (the token lacks a scope)'
        : ''
  return `${method} ${path} failed with ${status}: ${what}${hint}`
}
