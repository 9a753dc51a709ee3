export function countClaims(store) {
    const counts = { plain: 0, limited: 0 };
    const { claimJobs, claimLimitedJobs } = store;
    let plainAnswered;
    const firstPlainAnswered = new Promise((resolve) => (plainAnswered = resolve));
    store.claimJobs = async (...args) => {
        counts.plain++;
        try {
            return await claimJobs.apply(store, args);
        }
        finally {
            plainAnswered();
        }
    };
    let limitedWaiters = [];
    store.claimLimitedJobs = async (...args) => {
        counts.limited++;
        const waiters = limitedWaiters;
        limitedWaiters = [];
        const jobs = await claimLimitedJobs.apply(store, args);
        for (const resolve of waiters)
            resolve(jobs);
        return jobs;
    };
    return {
        get plain() {
            return counts.plain;
        },
        get limited() {
            return counts.limited;
        },
        firstPlainAnswered,
        nextLimitedAnswer: () => new Promise((resolve) => limitedWaiters.push(resolve)),
        restore() {
            store.claimJobs = claimJobs;
            store.claimLimitedJobs = claimLimitedJobs;
        },
    };
}
//# sourceMappingURL=claimCounts.js.map