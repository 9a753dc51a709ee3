/**
 * The contract, as YAML and as a readable page. The page renders openapi.yaml with Scalar's API
 * reference, loaded from the spec URL so the two can never drift.
 */
import { Hono } from 'hono'
import { Scalar } from '@scalar/hono-api-reference'
import type { OpenApiSpec } from '../src/http/openapi.js'

export function docsRoutes({ spec }: { spec: OpenApiSpec }): Hono {
  const app = new Hono()
  app.get('/openapi.yaml', (c) => c.body(spec.text, 200, { 'content-type': 'application/yaml; charset=utf-8' }))
  app.get('/docs', Scalar({ url: '/openapi.yaml', pageTitle: 'job-runner API' }))
  return app
}
