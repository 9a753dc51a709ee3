/**
 * Pausing one job, cancels you can watch (issue 23).
 *
 * `paused`: a job held by `POST /v1/jobs/{id}/pause` until resumed (not final). The state check gains it.
 * `pause_requested`: a running job asked to pause; its runner aborts the token with `paused` and the
 * `pause` row then moves it to `paused` rather than `queued` (src/queue/store.ts).
 * `cancel_requested_at`: when its cancel was first asked for; `cancel_acknowledged_at`: when the
 * cancel took effect (at once for a queued job; when the run ended, or was abandoned at
 * `CANCEL_GRACE_SECONDS`, for a running one).
 *
 * Number 020: the numbers between belong to parallel work; versions are applied by set (src/db/migrate.ts).
 */
export const version = 20;
export const name = 'pause_and_watched_cancels';
export const sql = /* sql */ `
alter table job_runner_jobs add column pause_requested boolean not null default false;
alter table job_runner_jobs add column cancel_requested_at timestamptz;
alter table job_runner_jobs add column cancel_acknowledged_at timestamptz;
alter table job_runner_jobs drop constraint job_runner_jobs_state_check;
alter table job_runner_jobs add constraint job_runner_jobs_state_check
  check (state in ('queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled', 'expired'));
`;
//# sourceMappingURL=020_pause_and_watched_cancels.js.map