/**
 * The database wakes the runners of the queues that got jobs: a statement-level insert trigger
 * sends `jobsAvailable` with the inserted queued jobs' queue names, in the inserting transaction, so
 * the notice goes out when they commit and never for a batch that rolled back. The service used to
 * send it itself after each insert committed, as a statement of its own: one more round trip and one
 * more transaction per group-commit batch of `POST /v1/jobs`. As with the owner listing (migration
 * 004), jobs inserted by anyone else — an instance of an earlier release during a deploy, an
 * operator's script — now wake the runners too.
 *
 * Names are comma-separated (queue names hold no comma), a hundred to a notification: PostgreSQL
 * refuses payloads of 8,000 bytes or more, and a name has at most 64 characters.
 */
export declare const version = 7;
export declare const name = "announce_inserted_jobs";
export declare const sql = "\ncreate function job_runner_announce_inserted_jobs() returns trigger language plpgsql as $$\ndeclare\n  names text;\nbegin\n  for names in\n    select string_agg(queue, ',') from (\n      select queue, (row_number() over (order by queue) - 1) / 100 as chunk\n      from (select distinct queue from inserted_jobs where state = 'queued') as q\n    ) as numbered\n    group by chunk\n  loop\n    perform pg_notify('job_runner_jobsAvailable', names);\n  end loop;\n  return null;\nend\n$$;\ncreate trigger job_runner_jobs_announced after insert on job_runner_jobs\n  referencing new table as inserted_jobs\n  for each statement execute function job_runner_announce_inserted_jobs();\n";
