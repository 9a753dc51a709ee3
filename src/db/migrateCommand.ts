/** `npm run migrate` and the Procfile's release phase: apply pending migrations, then exit. */
import { ConfigError, loadConfig } from '../config.js'
import { connectDatabase } from './connect.js'
import { DataDirLockedError } from './embedded.js'
import { migrate } from './migrate.js'

try {
  const db = await connectDatabase(loadConfig())
  try {
    const { applied } = await migrate(db)
    console.log(applied.length ? `applied migrations ${applied.join(', ')}` : 'database is up to date')
  } finally {
    await db.close()
  }
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof DataDirLockedError)) throw error
  console.error(`job-runner cannot migrate: ${error.message}`)
  process.exitCode = 2
}
