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
export declare const version = 12;
export declare const name = "webhooks";
export declare const sql = "\nalter table job_runner_jobs add column callback jsonb;\n\ncreate table job_runner_webhooks (\n  id bigint generated always as identity primary key,\n  owner text not null,\n  url text not null,\n  events jsonb,\n  type text,\n  queue text,\n  secret text not null,\n  disabled_at timestamptz,\n  disabled_reason text,\n  created_at timestamptz not null default now()\n);\n-- The outbox statement looks up an owner's live subscriptions for every job that finishes.\ncreate index job_runner_webhooks_owner on job_runner_webhooks (owner) where disabled_at is null;\n\ncreate table job_runner_webhook_deliveries (\n  id bigint generated always as identity primary key,\n  job_id bigint not null,\n  owner text not null,\n  webhook_id bigint,\n  url text not null,\n  event text not null,\n  payload jsonb not null,\n  state text not null default 'pending' check (state in ('pending', 'delivered', 'failed')),\n  attempts integer not null default 0,\n  next_attempt_at timestamptz not null default now(),\n  lease_owner text,\n  lease_expires_at timestamptz,\n  last_status integer,\n  last_error text,\n  last_response text,\n  created_at timestamptz not null default now(),\n  delivered_at timestamptz\n);\n-- The delivery worker's one question: which pending deliveries are due.\ncreate index job_runner_webhook_deliveries_due on job_runner_webhook_deliveries (next_attempt_at) where state = 'pending';\ncreate index job_runner_webhook_deliveries_job on job_runner_webhook_deliveries (job_id);\n";
