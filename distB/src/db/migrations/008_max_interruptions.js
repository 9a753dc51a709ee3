/**
 * A cap on refunded interruptions. A job stopped on its token by a shutdown, a drain or a crash of
 * another job gets its attempt back; without a cap, a job that keeps being interrupted (a crash
 * loop, a deploy loop) would run forever. Past `max_interruptions` the next cooperative
 * interruption fails it (see the transition table in src/queue/store.ts).
 */
export const version = 8;
export const name = 'max_interruptions';
export const sql = /* sql */ `
alter table job_runner_jobs add column max_interruptions integer not null default 20 check (max_interruptions >= 0);
`;
//# sourceMappingURL=008_max_interruptions.js.map