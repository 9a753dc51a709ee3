#!/usr/bin/env node
/**
 * Part of `npm run build`, after tsc: checks each schema of openapi.yaml's components against JSON
 * Schema 2020-12's meta-schema (the build fails naming what is wrong), then writes the parsed document
 * as dist/openapi.json, with the hash of the YAML it came from. The service reads that instead of
 * parsing the YAML at each start (about a quarter of a CPU-second), and parses the YAML itself when
 * the hash no longer matches (an edited spec under `npm run dev`), so it never serves a stale contract.
 *
 * Usage: node scripts/openapi-json.mjs [source=openapi.yaml] [target=dist/openapi.json]
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'

const [source = 'openapi.yaml', target = 'dist/openapi.json'] = process.argv.slice(2)
const text = fs.readFileSync(source, 'utf8')
const sourceHash = createHash('sha256').update(text).digest('hex')
const document = parse(text)
// The service's own check, as tsc just compiled it.
const { schemaProblems } = await import(new URL('../dist/src/http/openapi.js', import.meta.url).href)
const problems = schemaProblems(document)
if (problems.length > 0) {
  console.error(`${source} has schemas that are not JSON Schema 2020-12:\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
fs.mkdirSync(path.dirname(target), { recursive: true })
fs.writeFileSync(target, JSON.stringify({ sourceHash, document }))
