export function linkAbortSignals(sources) {
    const controller = new AbortController();
    const aborted = sources.find((source) => source.aborted);
    if (aborted) {
        controller.abort(aborted.reason);
        return { signal: controller.signal, dispose: () => { } };
    }
    const listeners = sources.map((source) => {
        const onAbort = () => {
            dispose();
            controller.abort(source.reason);
        };
        source.addEventListener('abort', onAbort, { once: true });
        return () => source.removeEventListener('abort', onAbort);
    });
    const dispose = () => {
        for (const remove of listeners.splice(0))
            remove();
    };
    return { signal: controller.signal, dispose };
}
//# sourceMappingURL=linkedAbortSignal.js.map