/**
 * Runs the service of any built checkout (`npm run build` there), so that one measurement script can
 * compare trees in the same minutes: P2's before/after runs (`p2Apart.mjs`, `p2Phases.mjs`) start
 * the service of the tree under test with P2's settings and mint its tokens with that tree's code.
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export const SECRET = 'bench-secret-bench-secret-bench-secret!'

/** A module of the checkout's compiled sources (`dist/src/<module>`). */
export const loadFromCheckout = (dir, module) => import(pathToFileURL(path.resolve(dir, 'dist/src', module)).href)

/** The checkout's whole service on `databaseUrl` as P2 runs it: 10 slots, any free port, no logs. */
export async function startCheckoutService(dir, databaseUrl) {
  const [{ startService }, { loadConfig }, { createLogger }] = await Promise.all([
    loadFromCheckout(dir, 'service.js'),
    loadFromCheckout(dir, 'config.js'),
    loadFromCheckout(dir, 'log.js'),
  ])
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    JWT_SECRET: SECRET,
    CONCURRENCY: '10',
    PORT: '0',
    LOG_LEVEL: 'silent',
  })
  return startService({ config, log: createLogger({ level: 'silent' }) })
}

/** A token for the checkout's service, minted by its own code. */
export async function checkoutToken(dir) {
  const { mintToken } = await loadFromCheckout(dir, 'auth/devToken.js')
  return mintToken({ secret: SECRET, sub: 'bench', audience: 'job-runner' })
}
