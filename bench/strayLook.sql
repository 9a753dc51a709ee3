-- The stray look's plan (src/queue/store.ts, renewLeases with findStrays): one instance renewing
-- 1,996 of the 2,000 jobs leased to it, with 14,000 jobs leased to another instance and 300,000
-- finished jobs in the table. Run on a database the service has migrated (see bench/RESULTS.md,
-- "The stray look's plan"):
--
--   psql -d strays -f bench/strayLook.sql
--
-- It prints two plans: the look as `not exists` (the first form, not kept) and as a hashed `except`
-- (the form renewLeases uses), each with the renewal beside it as in the statement.
set search_path = job_runner;
truncate job_runner_jobs;
insert into job_runner_jobs (owner, type, queue, payload, state, finished_at, run_at, max_attempts)
  select 'a', 'echo', 'default', '{}', 'succeeded', now(), now(), 3 from generate_series(1, 300000);
insert into job_runner_jobs (owner, type, queue, payload, max_attempts)
  select 'a', 'echo', 'default', '{}', 3 from generate_series(1, 50000);
update job_runner_jobs
  set state = 'running', attempts = 1, started_at = now(), lease_expires_at = now() + interval '30 seconds',
      lease_owner = case when id % 8 = 0 then '00000000-0000-0000-0000-000000000001'::uuid
                         else '00000000-0000-0000-0000-000000000002'::uuid end
  where id in (select id from job_runner_jobs where state = 'queued' order by id limit 16000);
analyze job_runner_jobs;
-- The jobs the instance names: all of its own but four (every 500th id left out: the strays).
create temp table named_ids as
  select id from job_runner_jobs
  where lease_owner = '00000000-0000-0000-0000-000000000001' and id % 500 <> 0;
\set named `echo "(select jsonb_agg(id::text) from named_ids)"`

\echo '== the look as not exists (not kept)'
begin;
explain (analyze, timing on, summary on)
  with named as (select jsonb_array_elements_text(:named)::bigint as id),
  renewed as (
    update job_runner_jobs set lease_expires_at = now() + interval '30 seconds'
    where id = any(array(select id from named)) and lease_owner = '00000000-0000-0000-0000-000000000001' and state = 'running'
    returning id, cancel_requested, pause_requested)
  select id, cancel_requested, pause_requested, false as stray, null::int as attempts, null::text as queue from renewed
  union all select id, false, false, true, attempts, queue from job_runner_jobs j
    where lease_expires_at is not null and not claimed_limited
      and lease_owner = '00000000-0000-0000-0000-000000000001' and state = 'running'
      and not exists (select from named where named.id = j.id)
  union all select id, false, false, true, attempts, queue from job_runner_jobs j
    where lease_expires_at is not null and claimed_limited
      and lease_owner = '00000000-0000-0000-0000-000000000001' and state = 'running'
      and not exists (select from named where named.id = j.id);
rollback;

\echo '== the look as a hashed except (renewLeases)'
begin;
explain (analyze, timing on, summary on)
  with named as (select jsonb_array_elements_text(:named)::bigint as id),
  renewed as (
    update job_runner_jobs set lease_expires_at = now() + interval '30 seconds'
    where id = any(array(select id from named)) and lease_owner = '00000000-0000-0000-0000-000000000001' and state = 'running'
    returning id, cancel_requested, pause_requested),
  unnamed as (
    (select id from job_runner_jobs
       where lease_expires_at is not null and not claimed_limited
         and lease_owner = '00000000-0000-0000-0000-000000000001' and state = 'running'
     union all
     select id from job_runner_jobs
       where lease_expires_at is not null and claimed_limited
         and lease_owner = '00000000-0000-0000-0000-000000000001' and state = 'running')
    except all select id from named)
  select id, cancel_requested, pause_requested, false as stray, null::int as attempts, null::text as queue from renewed
  union all
  select id, false, false, true, attempts, queue from job_runner_jobs
  where id = any(array(select id from unnamed)) and lease_owner = '00000000-0000-0000-0000-000000000001' and state = 'running';
rollback;
