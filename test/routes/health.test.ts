/**
 * /livez, /readyz, /openapi.yaml and /docs over real HTTP: none needs a token; /livez answers
 * whatever the lifecycle state, /readyz only while the instance takes work.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parse } from 'yaml'
import { OpenApiSpec } from '../../src/http/openapi.js'
import { databaseTargets, onceSkip } from '../support/databases.js'
import { expectJson, expectProblem } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

for (const target of databaseTargets()) {
  describe(`health and docs routes (${target.name})`, { skip: onceSkip(target, 'no database logic') }, () => {
    let service: TestService

    suiteService(target, (started) => (service = started))

    it('/livez and /readyz answer 200 without a token while running', async () => {
      assert.deepEqual(await expectJson(await service.request('/livez', { token: null }), 200), { status: 'ok' })
      assert.deepEqual(await expectJson(await service.request('/readyz', { token: null }), 200), {
        status: 'ok',
        state: 'running',
      })
      // A bad token is no reason to refuse a probe.
      await expectJson(await service.request('/livez', { token: 'garbage' }), 200)
    })

    it('while drained /readyz is 503 with Retry-After and /livez still 200', async () => {
      const drained = service.lifecycle.events.waitFor('lifecycle:state', ({ state }) => state === 'drained')
      void service.lifecycle.drain('test')
      await drained
      const ready = await service.request('/readyz', { token: null })
      await expectProblem(ready, 503, 'draining')
      assert.match(ready.headers.get('retry-after') ?? '', /^[0-9]+$/)
      await expectJson(await service.request('/livez', { token: null }), 200)
      await service.lifecycle.resume('test')
      await expectJson(await service.request('/readyz', { token: null }), 200)
    })

    it('/openapi.yaml serves the contract as YAML', async () => {
      // As application/yaml when asked for (a browser gets text/plain: docs.test.ts).
      const response = await service.request('/openapi.yaml', { token: null, headers: { accept: 'application/yaml' } })
      assert.equal(response.status, 200)
      assert.match(response.headers.get('content-type') ?? '', /^application\/yaml/)
      const document = parse(await response.text()) as { openapi: string; paths: Record<string, unknown> }
      assert.match(document.openapi, /^3\.1\./)
      assert.deepEqual(document, OpenApiSpec.load().document)
    })

    it('/docs is an HTML page that renders /openapi.yaml', async () => {
      const response = await service.request('/docs', { token: null })
      assert.equal(response.status, 200)
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/)
      const html = await response.text()
      assert.match(html, /<!doctype html>/i)
      // Its start-up script loads /openapi.yaml; the page in a browser is tested in docs.test.ts.
      assert.match(html, /src="\/docs\/docs\.js\?v=/)
      const script = await service.request('/docs/docs.js', { token: null })
      assert.match(await script.text(), /url: '\/openapi\.yaml'/)
    })
  })
}
