/**
 * Completion webhooks (issue 20). `job_runner_jobs.callback` is a job's own callback
 * (`{url, events}` from its enqueue); `job_runner_webhooks` are an owner's subscriptions (url,
 * events, type and queue filters, the signing secret shown once at creation; `disabled_at` once the
 * receiver answered 410). `job_runner_webhook_deliveries` is the outbox: one row per delivery,
 * inserted by the statement that writes the job's outcome (src/queue/outbox.ts), so a delivery is
 * committed with its outcome or not at all; any instance delivers it under a lease, as jobs are
 * leased (src/webhooks/). Its payload is fixed at insert, so a retry sends the same message.
 *
 * Number 012: the numbers in between belong to parallel work; the migration runner applies
 * versions by set, not by contiguity (src/db/migrate.ts).
 */
export const version = 12;
export const name = 'webhooks';
export const sql = /* sql */ `
alter table job_runner_jobs add column callback jsonb;

create table job_runner_webhooks (
  id bigint generated always as identity primary key,
  owner text not null,
  url text not null,
  events jsonb,
  type text,
  queue text,
  secret text not null,
  disabled_at timestamptz,
  disabled_reason text,
  created_at timestamptz not null default now()
);
-- The outbox statement looks up an owner's live subscriptions for every job that finishes.
create index job_runner_webhooks_owner on job_runner_webhooks (owner) where disabled_at is null;

create table job_runner_webhook_deliveries (
  id bigint generated always as identity primary key,
  job_id bigint not null,
  owner text not null,
  webhook_id bigint,
  url text not null,
  event text not null,
  payload jsonb not null,
  state text not null default 'pending' check (state in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  lease_owner text,
  lease_expires_at timestamptz,
  last_status integer,
  last_error text,
  last_response text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz
);
-- The delivery worker's one question: which pending deliveries are due.
create index job_runner_webhook_deliveries_due on job_runner_webhook_deliveries (next_attempt_at) where state = 'pending';
create index job_runner_webhook_deliveries_job on job_runner_webhook_deliveries (job_id);
`;
//# sourceMappingURL=012_webhooks.js.map