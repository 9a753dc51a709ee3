/**
 * Event streams (Server-Sent Events): `GET /v1/jobs/{id}/events` follows one job until its terminal
 * state; `GET /v1/events?queue=&type=&state=` follows the caller's jobs (an admin's: everyone's).
 * Event ids come from the stored rows and log lines (src/events/jobEvents.ts), so a client
 * reconnecting with `Last-Event-ID`, to this instance or another, is brought up to the stored state
 * and gets the stored lines it missed. Each caller may hold `streamsPerOwner` streams at once on an
 * instance; more get 429, like long-polls.
 */
import { Hono } from 'hono';
import type { OpenApiSpec } from '../src/http/openapi.js';
import type { TokenVerifier } from '../src/auth/tokenVerifier.js';
import type { JobEventHub } from '../src/events/jobEventHub.js';
import type { JobService } from '../src/queue/jobService.js';
export interface EventsRoutesOptions {
    jobs: Pick<JobService, 'getVersioned' | 'writtenSince' | 'logsAfter' | 'ownerLogsAfter' | 'eventStreamStart'>;
    hub: JobEventHub;
    spec: OpenApiSpec;
    verifyToken: TokenVerifier;
    /** Streams one owner may hold open at once on this instance (EVENT_STREAMS_PER_OWNER). */
    streamsPerOwner: number;
    /** Between two comment lines of a stream (EVENT_HEARTBEAT_SECONDS; default 15 s). */
    heartbeatMs?: number;
}
export declare function eventsRoutes({ jobs, hub, spec, verifyToken, streamsPerOwner, heartbeatMs, }: EventsRoutesOptions): Hono;
