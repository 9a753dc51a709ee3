/**
 * A client of the event streams as browsers have it: the `eventsource` package (WHATWG
 * EventSource), with a bearer token added to each request and, optionally, a `route` that picks the
 * instance each (re)connection goes to, as a load balancer would. It records every event and lets
 * a test wait for one.
 */
import { EventSource } from 'eventsource';
const TYPES = ['state', 'progress', 'checkpoint', 'retry', 'log', 'shutdown'];
export function followEvents(url, token, { route } = {}) {
    const events = [];
    const connections = [];
    const waiters = new Set();
    const source = new EventSource(url, {
        fetch: async (input, init) => {
            const headers = new Headers(init.headers);
            headers.set('authorization', `Bearer ${await token()}`);
            connections.push(headers.get('last-event-id') ?? undefined);
            const target = route ? await route(new URL(String(input))) : input;
            return fetch(target, { ...init, headers });
        },
    });
    for (const type of TYPES) {
        source.addEventListener(type, (message) => {
            events.push({ type, id: message.lastEventId, data: JSON.parse(message.data) });
            for (const wake of waiters)
                wake();
        });
    }
    source.addEventListener('error', () => {
        for (const wake of waiters)
            wake();
    });
    const until = (done, what, timeoutMs) => new Promise((resolve, reject) => {
        const check = () => {
            if (!done())
                return;
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
        };
        const timer = setTimeout(() => {
            waiters.delete(check);
            reject(new Error(`${what} did not happen within ${timeoutMs} ms; events: ${JSON.stringify(events)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
    });
    return {
        source,
        events,
        connections,
        async waitFor(predicate, timeoutMs = 15_000) {
            await until(() => events.some(predicate), 'the awaited event', timeoutMs);
            return events.find(predicate);
        },
        closed: (timeoutMs = 15_000) => until(() => source.readyState === EventSource.CLOSED, 'the close', timeoutMs),
        close: () => source.close(),
    };
}
//# sourceMappingURL=events.js.map