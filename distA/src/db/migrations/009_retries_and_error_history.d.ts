/**
 * Recoverable failures (issue 18): `retries` counts how often a failed or cancelled job was sent
 * back to the queue by hand (the `retry` row of the transition table in src/queue/store.ts);
 * `replay_of` names the job a replay copied; `errors` keeps the last failed attempts' errors
 * (bounded by the statements that append to it), `error` staying the last message.
 */
export declare const version = 9;
export declare const name = "retries_and_error_history";
export declare const sql = "\nalter table job_runner_jobs add column retries integer not null default 0;\nalter table job_runner_jobs add column replay_of bigint;\nalter table job_runner_jobs add column errors jsonb not null default '[]'::jsonb;\n";
