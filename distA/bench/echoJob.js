export function echoJob(fields = {}) {
    return {
        type: 'echo',
        queue: 'default',
        payload: {},
        priority: 0,
        maxAttempts: 1,
        maxInterruptions: 20,
        timeoutSeconds: null,
        runAt: null,
        idempotencyKey: null,
        requestHash: null,
        ...fields,
    };
}
//# sourceMappingURL=echoJob.js.map