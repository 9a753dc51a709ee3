/**
 * P3users: the user-built enqueue endpoint (bench/userEndpoint.mjs) on pg-boss: one durable insert
 * per request through `boss.send` (pg-boss's own pool, one insert and commit per job). DATABASE_URL
 * names a database with pg-boss's schema.
 */
import { PgBoss } from 'pg-boss'
import { serveUserEndpoint } from './userEndpoint.mjs'

const boss = new PgBoss(process.env.DATABASE_URL)
boss.on('error', (error) => console.error('pg-boss error', error))
await boss.start()
await boss.createQueue('echo')

serveUserEndpoint(async (type, payload) => ({ id: await boss.send(type, payload), type }))
