/**
 * Carries live progress between instances where the database carries notifications
 * (`supportsListen`): a job's throttled reports go out as NOTIFYs on their own channel, and every
 * other instance's board takes them in, so a `?wait` long-poll held by any instance answers within
 * a fraction of a second of the report. Reports published during one turn of the event loop go
 * out as one statement, packed into as few notifications as fit PostgreSQL's payload limit; an
 * instance ignores its own. Like every notification here this is a hint: a lost one delays the
 * news until the next checkpoint flush writes the progress to the table.
 */
import { randomUUID } from 'node:crypto'
import type { Database } from '../db/database.js'
import type { JobProgress } from '../queue/job.js'
import { JOB_PROGRESS_CHANNEL, type JobStore } from '../queue/store.js'
import { Batcher } from '../support/batcher.js'

/** PostgreSQL refuses payloads of 8,000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7000
/** A progress message longer than this is cut: a report is a line for a person, not a document. */
export const MAX_RELAYED_MESSAGE_LENGTH = 200

/** One report on the wire: job id, fraction, and the message if there is one. */
type WireReport = [string, number] | [string, number, string]

interface WirePayload {
  /** The sending process, so that it skips its own messages. */
  o: string
  r: WireReport[]
}

export interface ProgressRelayDependencies {
  db: Pick<Database, 'sql' | 'capabilities'>
  store: Pick<JobStore, 'notifyProgress'>
  /** A report from another instance. */
  onRemote: (id: string, progress: JobProgress) => void
  onError: (error: unknown) => void
}

export class ProgressRelay {
  private readonly origin = randomUUID()
  private readonly batches: Batcher<WireReport, void>
  private started: Promise<void> | undefined
  private unlisten: (() => Promise<void>) | undefined
  private stopped = false

  constructor(private readonly deps: ProgressRelayDependencies) {
    this.batches = new Batcher((reports) => deps.store.notifyProgress({ payloads: this.pack(reports) }), { onError: deps.onError })
  }

  /** True when reports can reach other instances at all. */
  get enabled(): boolean {
    return this.deps.db.capabilities.supportsListen
  }

  /** Listens for other instances' reports; safe to call twice. */
  start(): Promise<void> {
    return (this.started ??= this.listen())
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.started?.catch(() => {})
    await this.unlisten?.().catch(() => {})
    this.unlisten = undefined
  }

  /** Sends a report of a job running here to the other instances (no-op without notifications). */
  publish(id: string, { fraction, message }: JobProgress): void {
    if (!this.enabled || this.stopped) return
    this.batches.send(message === undefined ? [id, fraction] : [id, fraction, message.slice(0, MAX_RELAYED_MESSAGE_LENGTH)])
  }

  private async listen(): Promise<void> {
    if (!this.enabled) return
    const { unlisten } = await this.deps.db.sql.listen(JOB_PROGRESS_CHANNEL, (payload) => this.receive(payload))
    this.unlisten = unlisten
  }

  private receive(payload: string): void {
    let parsed: unknown
    try {
      parsed = JSON.parse(payload)
    } catch {
      return
    }
    const { o, r } = (parsed ?? {}) as Partial<WirePayload>
    if (o === this.origin || !Array.isArray(r)) return
    for (const report of r) {
      const progress = readReport(report)
      if (progress) this.deps.onRemote(progress.id, progress.progress)
    }
  }

  /** The latest report of each job, packed into payloads under the limit. */
  private pack(reports: readonly WireReport[]): string[] {
    const latest = new Map<string, WireReport>()
    for (const report of reports) latest.set(report[0], report)
    const payloads: string[] = []
    const head = `{"o":${JSON.stringify(this.origin)},"r":[`
    let body = ''
    for (const report of latest.values()) {
      const text = JSON.stringify(report)
      if (body !== '' && Buffer.byteLength(head + body + text) + 3 > MAX_PAYLOAD_BYTES) {
        payloads.push(`${head}${body}]}`)
        body = ''
      }
      body = body === '' ? text : `${body},${text}`
    }
    if (body !== '') payloads.push(`${head}${body}]}`)
    return payloads
  }
}

/** A report as another instance sent it, checked: anyone with a connection may NOTIFY. */
function readReport(report: unknown): { id: string; progress: JobProgress } | undefined {
  if (!Array.isArray(report)) return undefined
  const [id, fraction, message] = report as unknown[]
  if (typeof id !== 'string' || !/^[1-9][0-9]{0,17}$/.test(id)) return undefined
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) return undefined
  if (message === undefined) return { id, progress: { fraction } }
  if (typeof message !== 'string') return undefined
  return { id, progress: { fraction, message: message.slice(0, MAX_RELAYED_MESSAGE_LENGTH) } }
}
