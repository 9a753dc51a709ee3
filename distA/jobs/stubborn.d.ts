declare const _default: import("./defineJob.js").JobDefinition<{
    to: number;
    stepMs: number;
}, {
    cursor: number;
}, {
    counted: number;
    resumedFrom: number;
}>;
export default _default;
