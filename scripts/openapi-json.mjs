#!/usr/bin/env node
/**
 * Part of `npm run build`: writes openapi.yaml's parsed document as dist/openapi.json, with the hash
 * of the YAML it came from. The service reads that instead of parsing the YAML at each start (about
 * a quarter of a CPU-second), and parses the YAML itself when the hash no longer matches (an edited
 * spec under `npm run dev`), so it never serves a stale contract.
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
fs.mkdirSync(path.dirname(target), { recursive: true })
fs.writeFileSync(target, JSON.stringify({ sourceHash, document: parse(text) }))
