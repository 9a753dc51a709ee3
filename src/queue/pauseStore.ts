/**
 * The SQL of cluster-wide pauses (`job_runner_pauses`, migration 017): a paused queue or job type is
 * one row, read by every instance (src/queue/pauses.ts) and filtered out of its claims. The jobs
 * that a `checkpoint` pause stops go back to the queue through the `pause` row of the transition
 * table (`JobStore.requeuePausedJobs`), not here.
 */
import type { Sql } from 'postgres'
import { schemaIdentifier, type SchemaIdentifier } from '../db/schemaIdentifier.js'

export const PAUSE_KINDS = ['queue', 'type'] as const
export type PauseKind = (typeof PAUSE_KINDS)[number]
export const PAUSE_MODES = ['finish', 'checkpoint'] as const
export type PauseMode = (typeof PAUSE_MODES)[number]

export interface Pause {
  kind: PauseKind
  name: string
  mode: PauseMode
  pausedAt: string
}

type PauseRow = { kind: PauseKind; name: string; mode: PauseMode; paused_at: Date }

const toPause = (row: PauseRow): Pause => ({
  kind: row.kind,
  name: row.name,
  mode: row.mode,
  pausedAt: row.paused_at.toISOString(),
})

export class PauseStore {
  /** Every table is named in this schema (src/db/schemaIdentifier.ts). */
  private readonly schema: SchemaIdentifier

  /** `schema`: the database's `schema` (`DATABASE_SCHEMA`). */
  constructor(
    private readonly sql: Sql,
    schema: string,
  ) {
    this.schema = schemaIdentifier(sql, schema)
  }

  /** Every pause, queues first, by name. */
  async listPauses(): Promise<Pause[]> {
    const rows = await this.sql<
      PauseRow[]
    >`select kind, name, mode, paused_at from ${this.schema}.job_runner_pauses order by kind, name`
    return rows.map(toPause)
  }

  /** Pauses `name`; pausing it again keeps the first time and takes the new mode. */
  async pause({ kind, name, mode }: { kind: PauseKind; name: string; mode: PauseMode }): Promise<Pause> {
    const [row] = await this.sql<PauseRow[]>`
      insert into ${this.schema}.job_runner_pauses (kind, name, mode) values (${kind}, ${name}, ${mode})
      on conflict (kind, name) do update set mode = excluded.mode
      returning kind, name, mode, paused_at`
    return toPause(row!)
  }

  /** Resumes `name`; false when it was not paused. */
  async resume({ kind, name }: { kind: PauseKind; name: string }): Promise<boolean> {
    const rows = await this
      .sql`delete from ${this.schema}.job_runner_pauses where kind = ${kind} and name = ${name} returning name`
    return rows.length > 0
  }

  /** Whether a queued job waits in `queue`: with the declared and served queues, what makes a queue known. */
  async queueHasQueuedJobs(queue: string): Promise<boolean> {
    const [row] = await this.sql<{ found: boolean }[]>`
      select exists(select 1 from ${this.schema}.job_runner_jobs where state = 'queued' and queue = ${queue}) as found`
    return row!.found
  }
}
