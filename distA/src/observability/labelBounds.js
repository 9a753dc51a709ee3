/** The label value of everything outside the declared set. */
export const OTHER_LABEL = 'other';
/** RFC 9110's methods plus PATCH: what a client may send that is worth a series of its own. */
const STANDARD_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
/** The queues operators and code declare: each job type's default queue and this instance's `QUEUES`. */
export function declaredQueues(registry, configured) {
    const queues = new Set(configured);
    for (const name of registry.names()) {
        const queue = registry.get(name)?.defaults.queue;
        if (queue !== undefined)
            queues.add(queue);
    }
    return [...queues].sort();
}
export class LabelBounds {
    queueSet;
    typeSet;
    scheduleSet;
    constructor({ queues, types, schedules = [], }) {
        this.queueSet = new Set(queues);
        this.typeSet = new Set(types);
        this.scheduleSet = new Set(schedules);
    }
    /** A schedule declared in code keeps its id; any other (its id chosen by a client) is `other`. */
    schedule(id) {
        return this.scheduleSet.has(id) ? id : OTHER_LABEL;
    }
    /** The declared queues, in a stable order: always exported, at zero when empty. */
    get queues() {
        return [...this.queueSet];
    }
    queue(name) {
        return this.queueSet.has(name) ? name : OTHER_LABEL;
    }
    /** Types are checked against the registry at enqueue, but a row of another release may name any. */
    type(name) {
        return this.typeSet.has(name) ? name : OTHER_LABEL;
    }
    method(method) {
        return STANDARD_METHODS.has(method) ? method : OTHER_LABEL;
    }
}
//# sourceMappingURL=labelBounds.js.map