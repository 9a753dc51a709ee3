declare const _default: import("./defineJob.js").JobDefinition<{
    failTimes: number;
}, {
    failed: number;
}, {
    attempts: number;
}>;
export default _default;
