/**
 * The schedules job types declare in code (`defineJob({ schedules: [...] })`), read into the
 * definitions the store upserts at start-up. Read when the job files load, so a bad pattern, an
 * unknown time zone, a payload the type's schema refuses or an id used twice stops start-up with a
 * sentence naming the file, the job and the field, as for any broken job file.
 */
import type { AnyJobDefinition, JobRegistry } from '../../jobs/registry.js'
import { SYSTEM_OWNER } from '../auth/scopes.js'
import { InvalidScheduleError, readScheduleDefinition } from './scheduleService.js'
import { SCHEDULE_ID } from './schedule.js'
import type { CodeSchedule } from './store.js'

/** The owner of code-declared schedules and of their jobs (an admin token sees them). */
export const CODE_SCHEDULE_OWNER = SYSTEM_OWNER

export interface DeclaredScheduleProblem {
  /** Index of the job definition at fault. */
  readonly definition: number
  readonly message: string
}

/** Every declared schedule as a definition, or the first problem found. */
export function readDeclaredSchedules(
  definitions: readonly AnyJobDefinition[],
  registry: Pick<JobRegistry, 'get' | 'names' | 'validatePayload'>,
): { schedules: CodeSchedule[] } | { problem: DeclaredScheduleProblem } {
  const schedules: CodeSchedule[] = []
  const declaredBy = new Map<string, string>()
  for (const [index, definition] of definitions.entries()) {
    for (const [position, declared] of (definition.schedules ?? []).entries()) {
      const where = `job ${definition.name}: schedules[${position}]`
      const fail = (message: string) => ({ problem: { definition: index, message: `${where} ${message}` } })
      if (typeof declared?.id !== 'string' || !SCHEDULE_ID.test(declared.id)) {
        return fail(`has an id that is not 1 to 100 letters, digits, '_', '.' or '-': ${JSON.stringify(declared?.id)}`)
      }
      const other = declaredBy.get(declared.id)
      if (other !== undefined) return fail(`repeats the schedule id ${declared.id} of job ${other}; ids must be unique`)
      declaredBy.set(declared.id, definition.name)
      const { id, cron, every, timezone, payload, queue, priority, maxAttempts, timeoutSeconds, concurrencyKey } =
        declared
      try {
        const parsed = readScheduleDefinition(
          {
            ...(cron === undefined ? {} : { cron }),
            ...(every === undefined ? {} : { every }),
            ...(timezone === undefined ? {} : { timezone }),
            job: {
              type: definition.name,
              ...(payload === undefined ? {} : { payload }),
              ...(queue === undefined ? {} : { queue }),
              ...(priority === undefined ? {} : { priority }),
              ...(maxAttempts === undefined ? {} : { maxAttempts }),
              ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
              ...(concurrencyKey === undefined ? {} : { concurrencyKey }),
            },
            ...(declared.overlap === undefined ? {} : { overlap: declared.overlap }),
            ...(declared.backfill === undefined ? {} : { backfill: declared.backfill }),
            ...(declared.paused === undefined ? {} : { paused: declared.paused }),
          },
          registry,
        )
        if (!['allow', 'skip', 'cancel-previous'].includes(parsed.overlap)) {
          return fail(`has overlap ${JSON.stringify(parsed.overlap)}; use allow, skip or cancel-previous`)
        }
        const maxSlots = parsed.backfill?.maxSlots
        if (maxSlots !== undefined && !(Number.isInteger(maxSlots) && maxSlots >= 0 && maxSlots <= 1000)) {
          return fail(`has backfill.maxSlots ${JSON.stringify(maxSlots)}; use an integer from 0 to 1000`)
        }
        schedules.push({ id, owner: CODE_SCHEDULE_OWNER, definition: parsed })
      } catch (error) {
        if (error instanceof InvalidScheduleError) {
          return fail(
            error.problems.map((p) => `${p.pointer.replace(/^\/job\/payload/, '/payload')} ${p.message}`).join('; '),
          )
        }
        throw error
      }
    }
  }
  return { schedules }
}
