/**
 * A node:test reporter that lists every test file's wall time (its process, start-up included) once
 * the run ends, slowest first, so a CI log shows where the minutes go. Used by test/run.mjs next to
 * the spec reporter.
 */
import path from 'node:path'

export default async function* fileDurations(source) {
  const files = []
  let listed = false
  for await (const event of source) {
    // node 20 reports each file's own process as a top-level test named after the file.
    if (event.type === 'test:complete' && event.data.nesting === 0 && event.data.name === event.data.file) {
      const { duration_ms: ms, passed } = event.data.details
      files.push({ file: sourceName(path.relative(process.cwd(), event.data.file)), ms, passed })
    }
    // The run's summary (tests, pass, fail, …, duration_ms) comes last; under --test-force-exit the
    // process exits before this generator could finish, so the table goes out with the summary's
    // first line (its last line is too late: the exit wins).
    if (event.type === 'test:diagnostic' && event.data.nesting === 0 && /^tests \d+$/.test(event.data.message)) {
      listed = true
      yield table(files)
    }
  }
  if (!listed) yield table(files)
}

/** The test's own file for its compiled one (test/run.mjs runs dist/test/x.test.js for test/x.test.ts). */
function sourceName(file) {
  return file.replace(/^dist[\\/]/, '').replace(/\.js$/, '.ts')
}

function table(files) {
  const lines = [...files]
    .sort((a, b) => b.ms - a.ms)
    .map(({ file, ms, passed }) => `${(ms / 1000).toFixed(1).padStart(7)}  ${file}${passed ? '' : '  (failed)'}`)
  return lines.length === 0 ? '' : `\nseconds  file (wall time of its process)\n${lines.join('\n')}\n\n`
}
