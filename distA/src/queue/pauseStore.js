import { schemaIdentifier } from '../db/schemaIdentifier.js';
export const PAUSE_KINDS = ['queue', 'type'];
export const PAUSE_MODES = ['finish', 'checkpoint'];
const toPause = (row) => ({
    kind: row.kind,
    name: row.name,
    mode: row.mode,
    pausedAt: row.paused_at.toISOString(),
});
export class PauseStore {
    sql;
    /** Every table is named in this schema (src/db/schemaIdentifier.ts). */
    schema;
    /** `schema`: the database's `schema` (`DATABASE_SCHEMA`). */
    constructor(sql, schema) {
        this.sql = sql;
        this.schema = schemaIdentifier(sql, schema);
    }
    /** Every pause, queues first, by name. */
    async listPauses() {
        const rows = await this.sql `select kind, name, mode, paused_at from ${this.schema}.job_runner_pauses order by kind, name`;
        return rows.map(toPause);
    }
    /** Pauses `name`; pausing it again keeps the first time and takes the new mode. */
    async pause({ kind, name, mode }) {
        const [row] = await this.sql `
      insert into ${this.schema}.job_runner_pauses (kind, name, mode) values (${kind}, ${name}, ${mode})
      on conflict (kind, name) do update set mode = excluded.mode
      returning kind, name, mode, paused_at`;
        return toPause(row);
    }
    /** Resumes `name`; false when it was not paused. */
    async resume({ kind, name }) {
        const rows = await this
            .sql `delete from ${this.schema}.job_runner_pauses where kind = ${kind} and name = ${name} returning name`;
        return rows.length > 0;
    }
    /** Whether a queued job waits in `queue`: with the declared and served queues, what makes a queue known. */
    async queueHasQueuedJobs(queue) {
        const [row] = await this.sql `
      select exists(select 1 from ${this.schema}.job_runner_jobs where state = 'queued' and queue = ${queue}) as found`;
        return row.found;
    }
}
//# sourceMappingURL=pauseStore.js.map