/** `npm run migrate` and the Procfile's release phase: apply pending migrations, then exit. */
import { loadConfig } from '../config.js'
import { connectDatabase } from './connect.js'
import { migrate } from './migrate.js'

const config = loadConfig()
const db = await connectDatabase(config)
try {
  const { applied } = await migrate(db)
  console.log(applied.length ? `applied migrations ${applied.join(', ')}` : 'database is up to date')
} finally {
  await db.close()
}
