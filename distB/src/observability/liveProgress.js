export class LiveProgress {
    events;
    entries = new Map();
    throttleMs;
    maxEntries;
    constructor(events, { throttleMs = 100, maxEntries = 10_000 } = {}) {
        this.events = events;
        this.throttleMs = throttleMs;
        this.maxEntries = maxEntries;
    }
    /** The latest progress known for a job, if it is live somewhere. */
    get(id) {
        return this.entries.get(id)?.progress;
    }
    get size() {
        return this.entries.size;
    }
    /** The latest report of job `id` if it runs here (not one relayed from another instance). */
    reportedHere(id) {
        const entry = this.entries.get(id);
        return entry?.publishedAt === undefined ? undefined : entry.progress;
    }
    /** The latest report of each job running here. */
    *reportsHere() {
        for (const [id, entry] of this.entries)
            if (entry.publishedAt !== undefined)
                yield [id, entry.progress];
    }
    /** A report from a job running here. */
    report(id, progress) {
        const entry = this.entries.get(id);
        if (!entry) {
            this.add(id, { progress });
            this.publish(id);
            return;
        }
        entry.progress = progress;
        if (entry.timer)
            return;
        const waitMs = (entry.publishedAt ?? 0) + this.throttleMs - Date.now();
        if (waitMs <= 0)
            return this.publish(id);
        entry.timer = setTimeout(() => {
            entry.timer = undefined;
            if (this.entries.get(id) === entry)
                this.publish(id);
        }, waitMs);
        entry.timer.unref();
    }
    /** A report relayed from another instance. */
    accept(id, progress) {
        const entry = this.entries.get(id);
        if (entry) {
            entry.progress = progress;
            // Kept in arrival order, so the oldest entries are the first to go past `maxEntries`.
            this.entries.delete(id);
            this.entries.set(id, entry);
        }
        else {
            this.add(id, { progress });
        }
        this.events.onChange(id);
    }
    /** The job settled, or is no longer running: its entry goes. */
    forget(id) {
        const entry = this.entries.get(id);
        if (!entry)
            return;
        if (entry.timer)
            clearTimeout(entry.timer);
        this.entries.delete(id);
    }
    /** Drops every entry and pending publish; safe to call twice. */
    clear() {
        for (const entry of this.entries.values())
            if (entry.timer)
                clearTimeout(entry.timer);
        this.entries.clear();
    }
    add(id, entry) {
        this.entries.set(id, entry);
        if (this.entries.size <= this.maxEntries)
            return;
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined)
            this.forget(oldest);
    }
    publish(id) {
        const entry = this.entries.get(id);
        if (!entry)
            return;
        entry.publishedAt = Date.now();
        this.events.onChange(id);
        this.events.onPublish?.(id, entry.progress);
    }
}
//# sourceMappingURL=liveProgress.js.map