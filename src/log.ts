/**
 * The one logger: pino JSON lines on stdout. Children add context (`jobId`, `requestId`) so every
 * line can be traced to what caused it. Secrets never reach it: the Authorization header and token
 * fields are redacted in case a caller passes them along by mistake.
 */
import { pino, type Logger } from 'pino'

export type { Logger }

export function createLogger({ level = 'info', destination }: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: {
        paths: ['authorization', 'token', 'headers.authorization', 'req.headers.authorization', '*.token', 'secret', '*.secret'],
        censor: '[redacted]',
      },
    },
    destination,
  )
}

/** Turns anything thrown into an Error, so nothing downstream has to handle `unknown`. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown
  if (typeof thrown === 'string') return new Error(thrown)
  try {
    return new Error(JSON.stringify(thrown))
  } catch {
    return new Error(String(thrown))
  }
}
