/**
 * The `job-runner` CLI against a real service on each database: tokens the service accepts, enqueue,
 * status with its live progress and exit codes, drain/resume, migrate, and clear errors with the
 * right exit code. `cli` spawns the package bin (dist/src/cli.js) and `run` calls the same `runCli`
 * in this process (test/support/cli.ts): spawned where the process is the subject (the bin, exit
 * codes reaching the shell, stdin piped in, a follower interrupted, the shell completion, migrate and
 * an embedded database's lock), in-process where the command's answer is.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { jwtVerify } from 'jose'
import { projectRoot } from '../src/support/projectRoot.js'
import { cleanEnv, cli, cliInProcess as run, cliPath, startCli } from './support/cli.js'
import { databaseTargets, onceSkip, type TestDatabase } from './support/databases.js'
import { startTestService, TEST_SECRET, type TestService } from './support/service.js'

const root = projectRoot()

describe('job-runner CLI without a service', () => {
  it('has --help on every command, and says what is wrong with bad usage', async () => {
    const commands = [
      'token',
      'enqueue',
      'status',
      'list',
      'cancel',
      'retry',
      'replay',
      'bulk',
      'schedules',
      'drain',
      'resume',
      'migrate',
      'start',
      'types',
    ]
    const runs = await Promise.all([
      cli(['--help']),
      cli([]),
      cli(['frobnicate']),
      cli(['status', '--bogus']),
      ...commands.map((c) => run([c, '--help'])),
    ])
    const [overview, bare, unknown, badOption, ...helps] = runs
    assert.equal(overview!.code, 0)
    for (const c of commands) assert.match(overview!.stdout, new RegExp(`^  ${c} `, 'm'))
    assert.equal(bare!.code, 2, 'no command is a usage error')
    assert.equal(unknown!.code, 2)
    assert.match(unknown!.stderr, /unknown command "frobnicate"/)
    assert.equal(badOption!.code, 2)
    assert.match(badOption!.stderr, /--bogus[\s\S]*job-runner status --help/)
    helps.forEach((help, i) => {
      assert.equal(help.code, 0, `${commands[i]} --help`)
      assert.match(help.stdout, new RegExp(`^job-runner ${commands[i]}`))
      assert.match(help.stdout, /--help/)
    })
  })

  it('is the package bin, with a shebang', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }
    assert.equal(pkg.bin['job-runner'], 'dist/src/cli.js', 'tsc compiles src/cli.ts there')
    assert.match(fs.readFileSync(path.join(root, 'src/cli.ts'), 'utf8'), /^#!\/usr\/bin\/env node\n/)
  })

  it('mints tokens with the subject, scopes and lifetime asked for', async () => {
    const minted = await run(
      ['token', '--sub', 'carol', '--scope', 'jobs:read', '--scope', 'jobs:write', '--ttl', '15m'],
      { JWT_SECRET: TEST_SECRET },
    )
    assert.equal(minted.code, 0, minted.stderr)
    const token = minted.stdout.trim()
    const { payload } = await jwtVerify(token, new TextEncoder().encode(TEST_SECRET), {
      algorithms: ['HS256'],
      audience: 'job-runner',
    })
    assert.equal(payload.sub, 'carol')
    assert.equal(payload.scope, 'jobs:read jobs:write')
    assert.equal(payload.exp! - payload.iat!, 900)
  })

  it('mints with the development secret of DATA_DIR, and refuses clearly without any secret', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'job-runner-cli-'))
    try {
      const empty = await run(['token'], { DATA_DIR: dataDir })
      assert.equal(empty.code, 2)
      assert.match(empty.stderr, /JWT_SECRET is not set and .*dev-jwt-secret does not exist/)
      const secret = 'a-development-secret-of-at-least-32-bytes'
      fs.writeFileSync(path.join(dataDir, 'dev-jwt-secret'), secret)
      const minted = await run(['token'], { DATA_DIR: dataDir })
      assert.equal(minted.code, 0, minted.stderr)
      const { payload } = await jwtVerify(minted.stdout.trim(), new TextEncoder().encode(secret), {
        algorithms: ['HS256'],
      })
      assert.equal(payload.sub, 'dev')
      assert.equal(payload.scope, 'jobs:write jobs:read admin')
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('rejects bad scopes, durations and payloads as usage errors', async () => {
    const [scope, ttl, payload, unreachable] = await Promise.all([
      cli(['token', '--scope', 'root'], { JWT_SECRET: TEST_SECRET }),
      cli(['token', '--ttl', 'forever'], { JWT_SECRET: TEST_SECRET }),
      cli(['enqueue', 'echo', '{not json', '--url', 'http://127.0.0.1:1'], { JWT_SECRET: TEST_SECRET }),
      cli(['status', '1', '--url', 'http://127.0.0.1:1', '--token', 'x']),
    ])
    assert.equal(scope.code, 2)
    assert.match(scope.stderr, /unknown scope root/)
    assert.equal(ttl.code, 2)
    assert.match(ttl.stderr, /--ttl must be a duration/)
    assert.equal(payload.code, 2)
    assert.match(payload.stderr, /payload .* is not JSON/)
    assert.equal(unreachable.code, 3)
    assert.match(unreachable.stderr, /cannot reach http:\/\/127\.0\.0\.1:1/)
  })
})

for (const target of databaseTargets()) {
  describe(`job-runner CLI against a service on ${target.name}`, () => {
    // The CLI is a client of the HTTP API: once is enough (migrate, which opens the database itself, runs on each).
    const client = { skip: onceSkip(target, 'a client of the HTTP API') }
    let db: TestDatabase
    let service: TestService
    let env: Record<string, string>

    before(async () => {
      db = await target.create()
      service = await startTestService(db)
      env = { JWT_SECRET: TEST_SECRET, JOB_RUNNER_URL: service.url }
    })
    after(async () => {
      await service?.close()
      await db?.cleanup()
    })

    it('mints a token the service accepts, with only the scopes asked for', client, async () => {
      const result = await run(['token', '--sub', 'dora', '--scope', 'jobs:read'], env)
      assert.equal(result.code, 0, result.stderr)
      const token = result.stdout.trim()
      assert.equal((await service.request('/v1/jobs', { token })).status, 200)
      const write = await service.request('/v1/jobs', { token, method: 'POST', body: JSON.stringify({ type: 'echo' }) })
      assert.equal(write.status, 403)
    })

    it('enqueues a job and follows it to success with a progress bar', client, async () => {
      const result = await run(['enqueue', 'count', '{"to": 4, "stepMs": 40}', '--wait'], env)
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /enqueued: job [0-9]+ \(count, queue default\)/)
      assert.match(result.stderr, /\[#{24}\] 100% 4 of 4 · succeeded/, 'the bar reaches 100 %')
      assert.match(result.stdout, /: succeeded\n/)
      assert.match(result.stdout, /result \{.*"counted":4/)
    })

    it('prints the id for scripts, reads the payload from stdin, and replays an idempotency key', client, async () => {
      const first = await cli(
        ['enqueue', 'echo', '-', '--queue', 'default', '--idempotency-key', 'cli-once'],
        env,
        '{"from": "stdin"}',
      )
      assert.equal(first.code, 0, first.stderr)
      const id = first.stdout.trim()
      assert.match(id, /^[0-9]+$/)
      const again = await cli(
        ['enqueue', 'echo', '-', '--queue', 'default', '--idempotency-key', 'cli-once', '--json'],
        env,
        '{"from": "stdin"}',
      )
      assert.equal(again.code, 0, again.stderr)
      assert.match(again.stderr, /already enqueued: job /)
      const job = JSON.parse(again.stdout) as { id: string; payload: unknown }
      assert.equal(job.id, id)
      assert.deepEqual(job.payload, { from: 'stdin' })
    })

    it('exits 1 when the job failed, and shows its error', client, async () => {
      const enqueued = await service.request('/v1/jobs', {
        method: 'POST',
        body: JSON.stringify({ type: 'flaky', payload: { failTimes: 3 }, maxAttempts: 1 }),
      })
      const { id } = (await enqueued.json()) as { id: string }
      const result = await run(['status', id, '--wait'], env)
      assert.equal(result.code, 1, result.stderr)
      assert.match(result.stdout, /: failed\n/)
      assert.match(result.stdout, /error failing on purpose/)
    })

    it('exits 1 when a followed job is cancelled', client, async () => {
      const started = service.runner.events.waitFor('job:start', (e) => e.job.type === 'count')
      const enqueued = await service.request('/v1/jobs', {
        method: 'POST',
        body: JSON.stringify({ type: 'count', payload: { to: 100_000, stepMs: 20 } }),
      })
      const { id } = (await enqueued.json()) as { id: string }
      await started
      const follower = startCli(['status', id, '--wait'], env)
      // Cancel once the follower has drawn the running job: the cancel then reaches it through its long-poll.
      const deadline = Date.now() + 20_000
      while (!/· running/.test(follower.stderrSoFar()) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 25))
      assert.equal((await service.request(`/v1/jobs/${id}/cancel`, { method: 'POST' })).status, 202)
      const result = await follower.done
      assert.equal(result.code, 1, result.stderr)
      assert.match(result.stdout, /: cancelled\n/)
    })

    it(
      'lists failed jobs, shows the error history, retries one from its checkpoint, replays and cancels',
      client,
      async () => {
        const enqueued = await service.request('/v1/jobs', {
          method: 'POST',
          body: JSON.stringify({ type: 'flaky', payload: { failTimes: 3 }, maxAttempts: 2 }),
        })
        const { id } = (await enqueued.json()) as { id: string }
        const waitFor = async (state: string) => {
          for (;;) {
            const job = (await (await service.request(`/v1/jobs/${id}?wait=5`)).json()) as { state: string }
            if (job.state === state) return job
          }
        }
        await waitFor('failed')
        const listed = await run(['list', '--state', 'failed', '--type', 'flaky'], env)
        assert.equal(listed.code, 0, listed.stderr)
        assert.match(
          listed.stdout,
          new RegExp(`^\\s*${id}  failed\\s+flaky  default  attempts 2/2  failing on purpose`, 'm'),
        )
        assert.equal(
          (await run(['list', '--state', 'succeeded', '--type', 'flaky', '--json'], env)).stdout.trim(),
          '[]',
        )
        const status = await run(['status', id], env)
        assert.match(
          status.stdout,
          /error history \(last 2\):\n.* attempt 1 Error: failing on purpose: attempt 1[^\n]*\n.* attempt 2 Error: failing/,
        )

        const retried = await run(['retry', id], env)
        assert.equal(retried.code, 0, retried.stderr)
        assert.match(retried.stderr, /retried: job [0-9]+ is queued again \(retry 1\)/)
        await waitFor('succeeded')
        const refused = await run(['retry', id, '--from', 'start'], env)
        assert.equal(refused.code, 3)
        assert.match(refused.stderr, /409: job [0-9]+ is succeeded; only a failed or cancelled job can be retried/)
        assert.equal((await run(['retry', id, '--from', 'middle'], env)).code, 2)

        const replayed = await run(['replay', id, '--queue', 'nobody'], env)
        assert.equal(replayed.code, 0, replayed.stderr)
        const copyId = replayed.stdout.trim()
        const copy = (await (await service.request(`/v1/jobs/${copyId}`)).json()) as {
          replayOf: string
          queue: string
          state: string
        }
        assert.deepEqual([copy.replayOf, copy.queue, copy.state], [id, 'nobody', 'queued'])
        const cancelled = await run(['cancel', copyId], env)
        assert.equal(cancelled.code, 0, cancelled.stderr)
        assert.match(cancelled.stdout, /: cancelled\n/)
        const again = await run(['retry', copyId, '--from', 'start', '--json'], env)
        assert.equal(again.code, 0, again.stderr)
        assert.equal((JSON.parse(again.stdout) as { state: string }).state, 'queued')
      },
    )

    it(
      'bulk: retries every failed job of a type with progress until done; refuses an empty filter without --all',
      client,
      async () => {
        const rows = await service.db.sql<{ id: string }[]>`
        insert into job_runner.job_runner_jobs (owner, type, queue, max_attempts, state, attempts, finished_at, error)
        select 'cli', 'flaky', 'bulk-cli', 1, 'failed', 1, now(), 'boom' from generate_series(1, 5)
        returning id::text as id`
        const dry = await run(['bulk', 'retry', '--state', 'failed', '--queue', 'bulk-cli', '--dry-run'], env)
        assert.equal(dry.code, 0, dry.stderr)
        assert.equal(dry.stdout, 'retry would match 5 job(s)\n')
        const result = await run(['bulk', 'retry', '--state', 'failed', '--type', 'flaky', '--queue', 'bulk-cli'], env)
        assert.equal(result.code, 0, result.stderr)
        assert.match(result.stderr, /^bulk retry [0-9]+: 5 job\(s\) matched\n/)
        assert.match(result.stderr, /bulk retry [0-9]+: 5 of 5 done, 0 failed\n$/)
        assert.match(result.stdout, /^retry [0-9]+ completed: 5 done, 0 failed\n$/)
        const [counted] = await service.db.sql<{ n: number }[]>`
        select count(*)::int as n from job_runner.job_runner_jobs where queue = 'bulk-cli' and state = 'queued' and retries = 1`
        assert.equal(counted!.n, 5)

        const listed = await run(['bulk', 'cancel', '--ids', `${rows[0]!.id},987654321`, '--json'], env)
        assert.equal(listed.code, 1, 'some listed jobs could not be cancelled')
        const action = JSON.parse(listed.stdout) as { done: number; failures: { id: string; reason: string }[] }
        assert.deepEqual(
          [action.done, action.failures],
          [1, [{ id: '987654321', reason: 'not found for this caller' }]],
        )
        const empty = await run(['bulk', 'cancel'], env)
        assert.equal(empty.code, 2)
        assert.match(empty.stderr, /no filter: .* or --all/)
        assert.equal((await run(['bulk', 'delete', '--all'], env)).code, 2)
        assert.equal((await run(['bulk', 'retry', '--ids', '1,x'], env)).code, 2)
        const refused = await run(['bulk', 'retry', '--state', 'succeeded'], env)
        assert.equal(refused.code, 3)
        assert.match(refused.stderr, /422: \/filter\/state must be failed or cancelled for retry/)
      },
    )

    it('lists, shows, pauses, resumes and triggers schedules', client, async () => {
      const created = await service.request('/v1/schedules/cli-nightly', {
        method: 'PUT',
        body: JSON.stringify({
          cron: '0 3 * * *',
          timezone: 'Europe/Berlin',
          job: { type: 'echo', payload: { n: 1 } },
        }),
      })
      assert.equal(created.status, 201, await created.text())
      const list = await run(['schedules', 'list'], env)
      assert.equal(list.code, 0, list.stderr)
      assert.match(
        list.stdout,
        /^cli-nightly {2}active {2}cron "0 3 \* \* \*" Europe\/Berlin {2}next \S+Z {2}no job yet$/m,
      )
      const paused = await run(['schedules', 'pause', 'cli-nightly'], env)
      assert.equal(paused.code, 0, paused.stderr)
      assert.match(paused.stdout, /^ {2}paused; fired 0/m)
      const resumed = await run(['schedules', 'resume', 'cli-nightly', '--json'], env)
      assert.equal(resumed.code, 0, resumed.stderr)
      assert.equal((JSON.parse(resumed.stdout) as { paused: boolean }).paused, false)
      const triggered = await run(['schedules', 'trigger', 'cli-nightly'], env)
      assert.equal(triggered.code, 0, triggered.stderr)
      const jobId = triggered.stdout.trim()
      assert.match(jobId, /^[0-9]+$/)
      const shown = await run(['schedules', 'get', 'cli-nightly'], env)
      assert.equal(shown.code, 0, shown.stderr)
      assert.match(shown.stdout, new RegExp(`last job ${jobId} `))
      assert.equal((shown.stdout.match(/^ {2}next: /gm) ?? []).length, 5)
      const missing = await run(['schedules', 'get', 'no-such-schedule'], env)
      assert.equal(missing.code, 3)
      assert.match(missing.stderr, /404/)
      const usage = await run(['schedules', 'frobnicate'], env)
      assert.equal(usage.code, 2)
    })

    it('reports unknown jobs and refused requests with exit code 3', client, async () => {
      const [missing, unknownType] = await Promise.all([
        run(['status', '987654321'], env),
        run(['enqueue', 'no-such-type'], env),
      ])
      assert.equal(missing.code, 3)
      assert.match(missing.stderr, /no job 987654321/)
      assert.equal(unknownType.code, 2, "checked against the service's job types before posting")
      assert.match(unknownType.stderr, /unknown job type "no-such-type"\nknown types: count, echo, flaky, sleep/)
      const noAdmin = await run(['drain', '--token', await service.token({ scopes: ['jobs:read'] })], env)
      assert.equal(noAdmin.code, 3)
      assert.match(noAdmin.stderr, /403: .*admin.*lacks a scope/)
      assert.equal(service.lifecycle.state, 'running')
    })

    it('lists the job types, and suggests the one meant for a misspelt type', client, async () => {
      const newestJob = async () => {
        const { jobs } = (await (await service.request('/v1/jobs?limit=1')).json()) as { jobs: { id: string }[] }
        return jobs[0]?.id
      }
      const before = await newestJob()
      const [table, asJson, misspelt, prefix] = await Promise.all([
        run(['enqueue', '--list-types'], env),
        run(['enqueue', '--list-types', '--json'], env),
        run(['enqueue', 'cuont', '{"to": 1, "stepMs": 1}'], env),
        run(['enqueue', 'fl'], env),
      ])
      assert.equal(table.code, 0, table.stderr)
      const lines = table.stdout.trimEnd().split('\n')
      assert.match(lines[0]!, /^TYPE +QUEUE +ATTEMPTS +TIMEOUT +PAYLOAD$/)
      const names = lines.slice(1).map((line) => line.split(/ +/)[0])
      assert.deepEqual(names, ['count', 'echo', 'flaky', 'sleep', 'stubborn'])
      assert.match(table.stdout, /^count +default +5 +- +\{ to: integer, stepMs: integer \}$/m)
      assert.match(table.stdout, /^flaky +default +5 +- +\{ failTimes: integer \}$/m)
      assert.match(table.stdout, /^echo +default +3 +- +any$/m)
      assert.equal(asJson.code, 0, asJson.stderr)
      const served = (await (await service.request('/v1/job-types')).json()) as { jobTypes: unknown }
      assert.deepEqual(JSON.parse(asJson.stdout), served.jobTypes)
      assert.equal(misspelt.code, 2)
      assert.match(misspelt.stderr, /unknown job type "cuont"; did you mean "count"\?/)
      assert.equal(prefix.code, 2)
      assert.match(prefix.stderr, /did you mean "flaky"\?/)
      assert.equal(await newestJob(), before, 'nothing was enqueued')
    })

    it('completes job types in bash with the function docs/operations.md gives', client, async () => {
      const operations = fs.readFileSync(path.join(root, 'docs/operations.md'), 'utf8')
      const snippet = /```bash\n(_job_runner\(\) \{[\s\S]*?)```/.exec(operations)?.[1]
      assert.ok(snippet, 'docs/operations.md has the completion function')
      const script = [
        `job-runner() { ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath())} "$@"; }`,
        snippet,
        'COMP_WORDS=(job-runner enqueue "$1"); COMP_CWORD=2; _job_runner; printf "%s\\n" "${COMPREPLY[@]}"',
      ].join('\n')
      const complete = (word: string) =>
        new Promise<string>((resolve, reject) => {
          const stdio: ['ignore', 'pipe', 'inherit'] = ['ignore', 'pipe', 'inherit']
          const child = spawn('bash', ['-c', script, 'bash', word], { cwd: root, env: cleanEnv(env), stdio })
          let out = ''
          child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
          child.once('error', reject)
          child.once('close', () => resolve(out))
        })
      const [c, s, all] = await Promise.all([complete('c'), complete('s'), complete('')])
      assert.equal(c, 'count\n')
      assert.equal(s, 'sleep\nstubborn\n')
      assert.deepEqual(all.trim().split('\n'), ['count', 'echo', 'flaky', 'sleep', 'stubborn'])
    })

    it('enqueues with a token that may not read job types: the service judges the type', client, async () => {
      const token = await service.token({ sub: 'writer', scopes: ['jobs:write'] })
      const [ok, unknown] = await Promise.all([
        run(['enqueue', 'echo', '--token', token], env),
        run(['enqueue', 'nope', '--token', token], env),
      ])
      assert.equal(ok.code, 0, ok.stderr)
      assert.match(ok.stdout, /^[0-9]+\n$/)
      assert.equal(unknown.code, 3)
      assert.match(unknown.stderr, /422: unknown job type "nope"/)
    })

    it('drains the instance, waits for drained, and resumes it', client, async () => {
      const drain = await run(['drain', '--wait', '10'], env)
      assert.equal(drain.code, 0, drain.stderr)
      assert.equal(drain.stdout.trim(), 'drained')
      assert.equal(service.lifecycle.state, 'drained')
      const resume = await run(['resume'], env)
      assert.equal(resume.code, 0, resume.stderr)
      assert.equal(resume.stdout.trim(), 'running')
      assert.equal(service.lifecycle.state, 'running')
      assert.equal((await run(['drain', '--wait', 'soon'], env)).code, 2)
    })

    it('drain --wait: exit 3 with the ids still running when the wait ends first', client, async () => {
      // A job that ignores its token (one 5 s step) holds the drain until it ends or the grace
      // deadline (5 s) passes, past a 1 s wait however slowly the CLI starts.
      const started = service.runner.events.waitFor('job:start', ({ job }) => job.type === 'stubborn')
      const response = await service.request('/v1/jobs', {
        method: 'POST',
        body: JSON.stringify({ type: 'stubborn', payload: { to: 1, stepMs: 5000 } }),
      })
      const { id } = (await response.json()) as { id: string }
      await started
      const draining = service.lifecycle.drain('test')
      try {
        const drain = await run(['drain', '--wait', '1'], env)
        assert.equal(drain.code, 3, drain.stderr)
        assert.equal(drain.stdout.trim(), 'draining')
        assert.match(drain.stderr, new RegExp(`still draining after 1 s, 1 job\\(s\\) running: ${id}\n`))
      } finally {
        await draining
        await service.lifecycle.resume('test')
      }
    })

    it('migrates a database, and then finds it up to date', async () => {
      const other = await target.create()
      try {
        const migrateEnv = { ...other.env }
        const first = await cli(['migrate'], migrateEnv)
        assert.equal(first.code, 0, first.stderr)
        assert.match(first.stdout, /applied migrations 1|is up to date/)
        const second = await cli(['migrate'], migrateEnv)
        assert.equal(second.code, 0, second.stderr)
        assert.match(second.stdout, /is up to date\n$/)
      } finally {
        await other.cleanup()
      }
    })

    if (target.name === 'pglite') {
      it('refuses to migrate an embedded database that a running service holds', async () => {
        const result = await cli(['migrate'], { DATA_DIR: db.dataDir })
        assert.equal(result.code, 3)
        assert.match(result.stderr, /DATA_DIR is in use/)
      })
    }

    it('mints its own short-lived token when none is given', client, async () => {
      const result = await run(['enqueue', 'echo', '{"minted": true}', '--json'], env)
      assert.equal(result.code, 0, result.stderr)
      const job = JSON.parse(result.stdout) as { id: string }
      const asAdmin = await service.request(`/v1/jobs/${job.id}`, { scopes: ['admin', 'jobs:read'] })
      assert.equal(asAdmin.status, 200)
      assert.equal(
        (await service.request(`/v1/jobs/${job.id}`, { sub: 'alice', scopes: ['jobs:read'] })).status,
        404,
        'it belongs to the subject "cli"',
      )
    })
  })
}
