/** Returns its payload: the no-op job of the benchmarks and the simplest example. */
import { defineJob } from './defineJob.js'
import type { Json } from '../src/queue/job.js'

export default defineJob<Json, Json, Json>({
  name: 'echo',
  payloadSchema: {},
  async run({ payload }) {
    return payload
  },
})
