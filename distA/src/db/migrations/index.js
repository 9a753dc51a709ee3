/** Every migration, in order. A new one is a new file here and a line below; applied ones never change. */
import * as jobs from './001_jobs.js';
import * as finishedIndex from './002_finished_index.js';
import * as dropLeaseOwnerIndex from './003_drop_lease_owner_index.js';
import * as ownerJobs from './004_owner_jobs.js';
import * as dropFinishedIndex from './005_drop_finished_index.js';
import * as leasesIndexByExpiry from './006_leases_index_by_expiry.js';
import * as announceInsertedJobs from './007_announce_inserted_jobs.js';
import * as maxInterruptions from './008_max_interruptions.js';
import * as retriesAndErrorHistory from './009_retries_and_error_history.js';
import * as bulkActions from './010_bulk_actions.js';
import * as schedules from './011_schedules.js';
import * as webhooks from './012_webhooks.js';
import * as tracesAndJobLogs from './014_traces_and_job_logs.js';
import * as tablesInOwnSchema from './015_tables_in_own_schema.js';
import * as concurrencyKeys from './016_concurrency_keys.js';
import * as flowControl from './017_flow_control.js';
import * as fairShareAndLimits from './019_fair_share_and_limits.js';
import * as pauseAndWatchedCancels from './020_pause_and_watched_cancels.js';
import * as checkpointHistory from './021_checkpoint_history.js';
import * as functionsOwnSearchPath from './022_functions_own_search_path.js';
import * as channelsPerSchema from './026_channels_per_schema.js';
import * as queueLimitsIndexOfTheirOwn from './027_queue_limits_index_of_their_own.js';
import * as noStatisticsForJobContents from './028_no_statistics_for_job_contents.js';
import * as limitedLeasesIndexedOnce from './029_limited_leases_indexed_once.js';
export const migrations = [
    jobs,
    finishedIndex,
    dropLeaseOwnerIndex,
    ownerJobs,
    dropFinishedIndex,
    leasesIndexByExpiry,
    announceInsertedJobs,
    maxInterruptions,
    retriesAndErrorHistory,
    bulkActions,
    schedules,
    webhooks,
    tracesAndJobLogs,
    tablesInOwnSchema,
    concurrencyKeys,
    flowControl,
    fairShareAndLimits,
    pauseAndWatchedCancels,
    checkpointHistory,
    functionsOwnSearchPath,
    channelsPerSchema,
    queueLimitsIndexOfTheirOwn,
    noStatisticsForJobContents,
    limitedLeasesIndexedOnce,
];
//# sourceMappingURL=index.js.map