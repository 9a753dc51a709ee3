#!/usr/bin/env node
/**
 * Part of `npm run build`: tsc compiles the `.ts` job files into dist/jobs but leaves plain
 * `.js`/`.mjs` ones behind, and the compiled server loads only dist/jobs. This copies them there,
 * where their `import … from './defineJob.js'` finds the compiled helper.
 *
 * Usage: node scripts/copy-job-files.mjs [source=jobs] [target=dist/jobs]
 */
import fs from 'node:fs'
import path from 'node:path'

const [source = 'jobs', target = 'dist/jobs'] = process.argv.slice(2)
fs.mkdirSync(target, { recursive: true })
const copied = []
for (const file of fs.readdirSync(source)) {
  if (!/\.(js|mjs)$/.test(file)) continue
  fs.copyFileSync(path.join(source, file), path.join(target, file))
  copied.push(file)
}
if (copied.length > 0) console.log(`copied ${copied.join(', ')} to ${target}`)
