/**
 * The names of the service's NOTIFY channels, per schema (`DATABASE_SCHEMA`). A channel belongs to
 * the database, not to a schema: two services sharing one database in two schemas would otherwise
 * hear each other. Wake-ups crossing over would only cost claims that find nothing, but watches,
 * change notices and live progress name a job by its id, which each schema numbers on its own: the
 * other service's job 5 is not ours, and its progress must not reach our job 5's watchers.
 *
 * The default schema keeps the names releases before this one used (`job_runner_<name>`), so a
 * rolling deploy that mixes both still hears itself. Any other schema gets
 * `job_runner_<12 hex digits of md5(schema)>_<name>`: a channel is an identifier of at most 63 bytes,
 * and a schema name may take 63 on its own.
 *
 * The jobs table's insert trigger computes the same name in SQL (migration 026,
 * `job_runner_channel`): a change here is a change there.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_DATABASE_SCHEMA } from '../config.js';
export function channelName(schema, name) {
    if (schema === DEFAULT_DATABASE_SCHEMA)
        return `job_runner_${name}`;
    const digest = createHash('md5').update(schema).digest('hex').slice(0, 12);
    return `job_runner_${digest}_${name}`;
}
//# sourceMappingURL=channelName.js.map