/**
 * /docs and /openapi.yaml. Over plain HTTP: the page's Content-Security-Policy allows nothing from
 * another origin, its assets come from this service, and /openapi.yaml is text/plain for a browser
 * and application/yaml for a caller that asks. Then in headless Chromium (Debian's package, driven
 * by playwright-core) with no network: every non-loopback request is refused and recorded, DNS
 * resolves nothing, and the page must still render the API's operations with no CSP violation.
 * The browser part skips, saying why, when /usr/bin/chromium is missing.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { chromium, type Browser } from 'playwright-core'
import { OpenApiSpec } from '../../src/http/openapi.js'
import { databaseTargets, onceSkip } from '../support/databases.js'
import type { TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // No network: every host but the loopback address the service listens on fails to resolve.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
]
const noBrowser = fs.existsSync(CHROMIUM)
  ? false
  : `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium): browser test skipped`
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'
const spec = OpenApiSpec.load()

const isLoopback = (url: string) => {
  const { protocol, hostname } = new URL(url)
  return protocol === 'data:' || ['127.0.0.1', '[::1]', 'localhost'].includes(hostname)
}

for (const target of databaseTargets()) {
  // The page is static and reads no database: rendered once, like a client's pages.
  const browserSkip = noBrowser || onceSkip(target, 'a static page')
  describe(`/docs and /openapi.yaml (${target.name})`, () => {
    let service: TestService

    suiteService(target, (started) => (service = started))

    it('serves /openapi.yaml as text/plain to a browser and by default, application/yaml when asked', async () => {
      for (const accept of [BROWSER_ACCEPT, undefined, '*/*', 'text/*']) {
        const response = await service.request('/openapi.yaml', { token: null, headers: accept ? { accept } : {} })
        assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8', `Accept: ${accept}`)
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
        assert.match(response.headers.get('vary') ?? '', /Accept/)
        assert.equal(await response.text(), spec.text)
      }
      const asking = ['application/yaml', 'application/yaml, text/plain;q=0.5', 'text/html;q=0.9, application/yaml']
      for (const accept of asking) {
        const response = await service.request('/openapi.yaml', { token: null, headers: { accept } })
        assert.equal(response.headers.get('content-type'), 'application/yaml; charset=utf-8', `Accept: ${accept}`)
        assert.equal(await response.text(), spec.text)
      }
    })

    it('serves the page and its assets from this origin, under a CSP that allows no other', async () => {
      const response = await service.request('/docs', { token: null })
      assert.equal(response.status, 200)
      const csp = response.headers.get('content-security-policy') ?? ''
      assert.match(csp, /default-src 'none'/)
      for (const directive of csp.split(';').map((d) => d.trim())) {
        const sources = directive.split(/\s+/).slice(1)
        const thisOrigin = sources.every((s) => ["'none'", "'self'", 'data:'].includes(s))
        assert.ok(thisOrigin, `${directive} allows more than this origin`)
      }
      const html = await response.text()
      const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
      assert.ok(
        urls.some((u) => u.startsWith('/docs/swagger-ui-bundle.js?v=')),
        html,
      )
      for (const url of urls.filter((u) => !u.startsWith('data:'))) {
        assert.match(url, /^\/docs\/[a-z.-]+\?v=[A-Za-z0-9_-]+$/, 'a same-origin asset with its version')
        const asset = await service.request(url, { token: null })
        assert.equal(asset.status, 200, url)
        assert.match(asset.headers.get('cache-control') ?? '', /immutable/)
        assert.ok((await asset.text()).length > 0)
      }
      const stale = await service.request('/docs/swagger-ui.css?v=old', { token: null })
      assert.equal(stale.headers.get('cache-control'), 'no-cache', 'an old version is not cached for good')
      await stale.arrayBuffer()
      const missing = await service.request('/docs/swagger-ui.js.map', { token: null })
      assert.equal(missing.status, 404)
      await missing.arrayBuffer()
    })

    describe('in headless Chromium with no network', { skip: browserSkip }, () => {
      let browser: Browser

      before(async () => {
        browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 })
      })
      after(async () => {
        await browser?.close()
      })

      it('renders every operation of the contract, and no request leaves loopback', async () => {
        const context = await browser.newContext()
        const offLoopback: string[] = []
        const problems: string[] = []
        // Recorded as asked for, then refused: the page must not need anything from off this machine.
        context.on('request', (request) => !isLoopback(request.url()) && offLoopback.push(request.url()))
        await context.route('**/*', (route) => {
          return isLoopback(route.request().url()) ? route.continue() : route.abort('internetdisconnected')
        })
        const page = await context.newPage()
        page.setDefaultTimeout(20_000)
        page.on('pageerror', (error) => problems.push(error.message))
        page.on('console', (message) => message.type() === 'error' && problems.push(message.text()))

        await page.goto(`${service.url}/docs`)
        await page.locator('.swagger-ui .info .title', { hasText: 'job-runner' }).waitFor()
        await page.locator('.opblock-summary-description', { hasText: 'Enqueue a job' }).waitFor()
        const summaries = await page.locator('.opblock-summary-description').allTextContents()
        const operations = Object.values(spec.document.paths).flatMap((item) => Object.values(item))
        const inSpec = operations.map((operation) => (operation as { summary: string }).summary)
        assert.deepEqual([...summaries].sort(), inSpec.sort(), 'every operation of openapi.yaml is on the page')
        // Open one: its responses render from the same document (431 on every operation).
        await page.locator('.opblock-summary-description', { hasText: 'The job types this service runs' }).click()
        await page.locator('.responses-table .response[data-code="431"]').first().waitFor()
        await context.close()

        assert.deepEqual(offLoopback, [], 'requests that left loopback')
        assert.deepEqual(problems, [], 'script errors or CSP violations on the page')
      })
    })
  })
}
