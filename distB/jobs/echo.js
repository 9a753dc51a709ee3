/** Returns its payload: the no-op job of the benchmarks and the simplest example. */
import { defineJob } from './defineJob.js';
export default defineJob({
    name: 'echo',
    payloadSchema: {},
    async run({ payload }) {
        return payload;
    },
});
//# sourceMappingURL=echo.js.map