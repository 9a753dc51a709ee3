/**
 * Counts the service's NOTIFYs from outside: one extra connection LISTENs on every channel the
 * service uses (src/queue/notifier.ts: `job_runner_` + each of its channels, and the progress relay's
 * `job_runner_jobProgress`; a channel added there and not here goes uncounted) and counts the
 * notifications and the ids or queue names packed into each (comma-separated; a progress
 * notification is one JSON document, counted as one item). Every instance LISTENs on every channel on one connection, so each notification
 * is delivered once to each instance: deliveries = notifications × instances.
 *
 * The counting connection costs PostgreSQL what a listening instance pays: reading delivered
 * notifications takes a transaction (several notifications can share one), so it adds at most one
 * commit per notification to the database's count.
 */
import pg from 'pg'

export const SERVICE_CHANNELS = [
  'jobsAvailable',
  'limitedJobEnded',
  'cancelRequested',
  'pauseRequested',
  'jobChanged',
  'jobLogged',
  'schedulesChanged',
  'pausesChanged',
  'jobsDue',
  // src/observability/progressRelay.ts (JOB_PROGRESS_CHANNEL in src/queue/store.ts).
  'jobProgress',
]

export async function countNotifications(url) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  let counts = {}
  client.on('notification', ({ channel, payload }) => {
    const name = channel.replace(/^job_runner_/, '')
    const c = (counts[name] ??= { notifications: 0, items: 0 })
    c.notifications += 1
    c.items += payload === '' ? 0 : name === 'jobProgress' ? 1 : payload.split(',').length
  })
  // One simple query, so one transaction (a commit in the database's count), reported at once.
  await client.query(SERVICE_CHANNELS.map((channel) => `listen "job_runner_${channel}"`).join('; '))
  return {
    /** The counts since the last take, and a fresh start. */
    take() {
      const taken = counts
      counts = {}
      return taken
    },
    close: () => client.end(),
  }
}

/** Sum of notifications over every channel of a `take()`. */
export const totalNotifications = (counts) => Object.values(counts).reduce((sum, c) => sum + c.notifications, 0)
