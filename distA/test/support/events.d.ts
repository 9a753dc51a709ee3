/**
 * A client of the event streams as browsers have it: the `eventsource` package (WHATWG
 * EventSource), with a bearer token added to each request and, optionally, a `route` that picks the
 * instance each (re)connection goes to, as a load balancer would. It records every event and lets
 * a test wait for one.
 */
import { EventSource } from 'eventsource';
export interface ReceivedEvent {
    type: string;
    id: string;
    data: unknown;
}
export interface EventFollower {
    readonly source: EventSource;
    readonly events: ReceivedEvent[];
    /** The Last-Event-ID header each connection sent (undefined for the first). */
    readonly connections: (string | undefined)[];
    /** Resolves with the first event (already received or to come) that satisfies `predicate`. */
    waitFor(predicate: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
    /** Resolves once the source is closed for good (a 204 or an error it does not retry). */
    closed(timeoutMs?: number): Promise<void>;
    close(): void;
}
export declare function followEvents(url: string, token: () => Promise<string> | string, { route }?: {
    route?: (url: URL) => URL | Promise<URL>;
}): EventFollower;
