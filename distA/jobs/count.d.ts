interface CountCheckpoint {
    cursor: number;
    runs: number;
}
declare const _default: import("./defineJob.js").JobDefinition<{
    to: number;
    stepMs: number;
}, CountCheckpoint, {
    counted: number;
    resumedFrom: number;
    runs: number;
}>;
export default _default;
