/**
 * The insert trigger's wake-up goes out on its schema's channel (src/db/channelName.ts): two
 * services sharing a database in two schemas no longer wake each other. The default schema keeps
 * `job_runner_jobsAvailable`; any other schema `job_runner_<12 hex digits of md5(schema)>_jobsAvailable`,
 * the name the service's notifier listens on. The schema is the trigger's table's own
 * (`TG_TABLE_SCHEMA`), so a schema renamed later with `alter schema` keeps matching the service
 * started with the new name.
 *
 * `create or replace` replaces the function's settings too: the search_path of migration 022 is set
 * again.
 *
 * Number 026: the numbers between belong to parallel work; versions are applied by set (src/db/migrate.ts).
 */
export declare const version = 26;
export declare const name = "channels_per_schema";
export declare const sql = "\ncreate or replace function job_runner_announce_inserted_jobs() returns trigger language plpgsql\nset search_path from current as $$\ndeclare\n  names text;\n  channel text := case when TG_TABLE_SCHEMA = 'job_runner' then 'job_runner_jobsAvailable'\n    else 'job_runner_' || left(md5(TG_TABLE_SCHEMA), 12) || '_jobsAvailable' end;\nbegin\n  for names in\n    select string_agg(queue, ',') from (\n      select queue, (row_number() over (order by queue) - 1) / 100 as chunk\n      from (select distinct queue from inserted_jobs where state = 'queued') as q\n    ) as numbered\n    group by chunk\n  loop\n    perform pg_notify(channel, names);\n  end loop;\n  return null;\nend\n$$;\n";
