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
export const version = 26;
export const name = 'channels_per_schema';
export const sql = /* sql */ `
create or replace function job_runner_announce_inserted_jobs() returns trigger language plpgsql
set search_path from current as $$
declare
  names text;
  channel text := case when TG_TABLE_SCHEMA = 'job_runner' then 'job_runner_jobsAvailable'
    else 'job_runner_' || left(md5(TG_TABLE_SCHEMA), 12) || '_jobsAvailable' end;
begin
  for names in
    select string_agg(queue, ',') from (
      select queue, (row_number() over (order by queue) - 1) / 100 as chunk
      from (select distinct queue from inserted_jobs where state = 'queued') as q
    ) as numbered
    group by chunk
  loop
    perform pg_notify(channel, names);
  end loop;
  return null;
end
$$;
`;
//# sourceMappingURL=026_channels_per_schema.js.map