import { type ValidateFunction } from './ajv.js';
export interface CheckpointProblem {
    /** JSON Pointer into the checkpoint. */
    readonly pointer: string;
    readonly message: string;
}
interface WithCheckpointSchema {
    readonly checkpointSchema?: Readonly<Record<string, unknown>> | undefined;
}
/** The compiled schema of `definition`, or undefined when it declares none. Throws for an invalid schema. */
export declare function checkpointValidator(definition: WithCheckpointSchema): ValidateFunction | undefined;
/** What is wrong with `checkpoint` for `definition`'s schema; empty when it is valid or there is no schema. */
export declare function checkpointProblems(definition: WithCheckpointSchema, checkpoint: unknown): CheckpointProblem[];
/** Problems as one line: `/cursor must be integer; /runs is required`. */
export declare function describeProblems(problems: readonly CheckpointProblem[]): string;
export {};
