declare const _default: import("./defineJob.js").JobDefinition<{
    ms: number;
}, never, {
    slept: number;
}>;
export default _default;
