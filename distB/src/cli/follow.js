/**
 * Follows a job until it finishes, through its event stream (the service pushes each change,
 * progress reports included, within a fraction of a second), drawing its progress on stderr:
 * one redrawn bar on a terminal, a line per change otherwise. A queued job says why it waits. A
 * draining or restarting service (503, refused connections) is waited out for a while: the job goes
 * on elsewhere, or here after the restart.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FINISHED_STATES } from '../queue/job.js';
import { UnreachableError } from './client.js';
import { CliError, EXIT } from './command.js';
import { readEvents } from './eventStream.js';
/** How long the service may stay unreachable or 503 before following gives up. */
const OUTAGE_TOLERANCE_MS = 120_000;
const BAR_WIDTH = 24;
export async function fetchJob(client, id) {
    const response = await client.request('GET', jobPath(id), { accept: [404] });
    if (response.status === 404)
        throw notFound(id);
    return response.body;
}
/**
 * Follows a job through its event stream (`GET /v1/jobs/{id}/events`): each `state` event is the
 * whole job, each `progress` event moves the bar. When the stream ends early (the instance drains
 * or stops: `event: shutdown`) it reconnects with `Last-Event-ID` and is brought up to the stored
 * state, wherever it lands.
 */
export async function followJob(client, id, io) {
    const line = new ProgressLine(io.stderr);
    let job;
    let lastEventId;
    let retryMs = 1000;
    let outageSince;
    for (;;) {
        let response;
        try {
            response = await client.open(`${jobPath(id)}/events`, {
                headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId },
            });
        }
        catch (error) {
            if (!(error instanceof UnreachableError))
                throw error;
        }
        if (response?.status === 404) {
            line.end();
            throw notFound(id);
        }
        if (response?.status === 204) {
            // It had already told us the terminal state: read it once more for the answer.
            await response.body?.cancel();
            line.end();
            return job ?? fetchJob(client, id);
        }
        if (response === undefined || response.status !== 200 || !response.body) {
            await response?.body?.cancel();
            if (response !== undefined && response.status !== 503 && response.status !== 429) {
                line.end();
                throw new CliError(`GET ${jobPath(id)}/events answered ${response.status}`, EXIT.service);
            }
            outageSince ??= Date.now();
            if (Date.now() - outageSince > OUTAGE_TOLERANCE_MS) {
                line.end();
                throw new CliError(`gave up following job ${id}: the service has not answered for ${OUTAGE_TOLERANCE_MS / 1000} s`, EXIT.service);
            }
            const retryAfter = Number(response?.headers.get('retry-after') ?? 1);
            await sleep(Math.min(5, Number.isFinite(retryAfter) ? retryAfter : 1) * 1000);
            continue;
        }
        outageSince = undefined;
        for await (const event of readEvents(response.body)) {
            lastEventId = event.id ?? lastEventId;
            retryMs = event.retryMs ?? retryMs;
            if (event.event === 'state')
                job = JSON.parse(event.data);
            else if (event.event === 'progress' && job) {
                const { fraction, message } = JSON.parse(event.data);
                job = { ...job, progress: message === undefined ? { fraction } : { fraction, message } };
            }
            else
                continue;
            line.draw(job);
            if (FINISHED_STATES.includes(job.state)) {
                line.end();
                return job;
            }
        }
        // The stream ended before the job did (a drain or a restart): reconnect after the hint.
        await sleep(retryMs);
    }
}
/** The job as a few lines for a person. */
export function describeJob(job) {
    const lines = [
        `job ${job.id} (${job.type}, queue ${job.queue}): ${job.state}${job.cancelRequested && job.state === 'running' ? ' (cancel requested)' : ''}${job.pauseRequested && job.state === 'running' ? ' (pause requested)' : ''}`,
    ];
    if (job.cancelRequestedAt !== null) {
        const acknowledged = job.cancelAcknowledgedAt ?? 'not yet: its run has not stopped';
        lines.push(`  cancel requested ${job.cancelRequestedAt}, acknowledged ${acknowledged}`);
    }
    if (job.waitReason)
        lines.push(`  waiting: ${describeWait(job, job.waitReason)}`);
    lines.push(`  attempts ${job.attempts} of ${job.maxAttempts}, interruptions ${job.interruptions}`);
    if (job.progress)
        lines.push(`  progress ${Math.round(job.progress.fraction * 100)}%${job.progress.message ? ` ${job.progress.message}` : ''}`);
    if (job.checkpoint !== null && !FINISHED_STATES.includes(job.state))
        lines.push(`  checkpoint ${JSON.stringify(job.checkpoint)}`);
    if (job.result !== null)
        lines.push(`  result ${JSON.stringify(job.result)}`);
    if (job.error !== null)
        lines.push(`  error ${job.error}`);
    if (job.retries > 0)
        lines.push(`  retried ${job.retries} time${job.retries === 1 ? '' : 's'}`);
    if (job.replayOf !== null)
        lines.push(`  replay of job ${job.replayOf}`);
    if (job.errors.length > 0) {
        lines.push(`  error history (last ${job.errors.length}):`);
        for (const entry of job.errors) {
            lines.push(`    ${entry.at} attempt ${entry.attempt} ${entry.name}: ${entry.message.split('\n')[0]}`);
        }
    }
    return lines.join('\n') + '\n';
}
/** Why a queued job waits, for a person. */
export function describeWait(job, reason) {
    switch (reason) {
        case 'no-instance':
            return `no running instance serves queue ${job.queue}; it starts once one does (QUEUES)`;
        case 'paused':
            return `its queue ${job.queue} or its type ${job.type} is paused; it starts once resumed`;
        case 'scheduled':
            return `${job.attempts > 0 ? 'retry ' : ''}scheduled for ${job.runAt}`;
        case 'rate-limit':
            return `its type's rate limit allows no start yet; it starts in its turn`;
        case 'concurrency':
            return `its type's concurrency limit is reached${job.concurrencyKey ? ` for key ${job.concurrencyKey}` : ''}; it starts when a place frees`;
    }
}
/** 1 when the job failed or was cancelled, 0 otherwise. */
export function exitCodeOf(job) {
    return job.state === 'failed' || job.state === 'cancelled' || job.state === 'expired' ? EXIT.jobFailed : EXIT.ok;
}
class ProgressLine {
    out;
    last = '';
    drawn = false;
    constructor(out) {
        this.out = out;
    }
    draw(job) {
        const fraction = job.progress?.fraction ?? (job.state === 'succeeded' ? 1 : 0);
        const filled = Math.round(fraction * BAR_WIDTH);
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
        const percent = `${Math.round(fraction * 100)}%`.padStart(4);
        const state = job.waitReason ? `${job.state}, ${job.waitReason}` : job.state;
        const message = job.progress?.message ? ` ${job.progress.message}` : '';
        const text = `job ${job.id} ${job.type} ${bar} ${percent}${message} · ${state}`;
        if (text === this.last)
            return;
        this.last = text;
        if (this.out.isTTY) {
            // Redraw in place: carriage return, clear the line.
            this.out.write(`\r\x1b[2K${text}`);
            this.drawn = true;
        }
        else {
            this.out.write(`${text}\n`);
        }
    }
    end() {
        if (this.drawn)
            this.out.write('\n');
        this.drawn = false;
    }
}
function jobPath(id) {
    return `/v1/jobs/${encodeURIComponent(id)}`;
}
function notFound(id) {
    return new CliError(`no job ${id} for this token (a job belongs to the subject that enqueued it; an admin token sees every job)`, EXIT.service);
}
//# sourceMappingURL=follow.js.map