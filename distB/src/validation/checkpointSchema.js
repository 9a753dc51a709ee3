/**
 * The checkpoint schemas of job types (`defineJob({ checkpointSchema })`), compiled once per
 * definition and shared by everything that checks a checkpoint: the registry at load (an invalid
 * schema stops start-up), a run's `saveCheckpoint` and resume (src/runner/jobExecution.ts), and an
 * operator's `PUT /v1/jobs/{id}/checkpoint` (src/queue/checkpointService.ts).
 */
import { cached } from '../support/cached.js';
import { createAjv } from './ajv.js';
let ajv;
const validators = new WeakMap();
/** The compiled schema of `definition`, or undefined when it declares none. Throws for an invalid schema. */
export function checkpointValidator(definition) {
    const schema = definition.checkpointSchema;
    if (schema === undefined)
        return undefined;
    return cached(validators, definition, () => (ajv ??= createAjv()).compile(schema));
}
/** What is wrong with `checkpoint` for `definition`'s schema; empty when it is valid or there is no schema. */
export function checkpointProblems(definition, checkpoint) {
    const validate = checkpointValidator(definition);
    if (!validate || validate(checkpoint))
        return [];
    return (validate.errors ?? []).map((error) => {
        const params = error.params;
        const child = params.missingProperty ?? params.additionalProperty;
        return {
            pointer: `${error.instancePath}${child === undefined ? '' : `/${child}`}` || '/',
            message: error.message ?? 'is invalid',
        };
    });
}
/** Problems as one line: `/cursor must be integer; /runs is required`. */
export function describeProblems(problems) {
    return problems.map((p) => `${p.pointer} ${p.message}`).join('; ');
}
//# sourceMappingURL=checkpointSchema.js.map