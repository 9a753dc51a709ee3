import type { Json } from '../src/queue/job.js';
declare const _default: import("./defineJob.js").JobDefinition<Json, Json, Json>;
export default _default;
