// The dashboard's script: asks for a token once (sessionStorage, never a cookie), then polls the
// JSON API every 2 s and redraws, sooner when the event stream of the caller's jobs says one changed. Everything from the API is inserted as text, never as HTML.
'use strict'
;(() => {
  const TOKEN_KEY = 'job-runner.token'
  const REFRESH_MS = 2000
  const STATES = ['queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled', 'expired']
  const $ = (id) => document.getElementById(id)

  let token = sessionStorage.getItem(TOKEN_KEY)
  let scopes = new Set()
  let timer
  let refreshing
  let refreshAgain = false
  let detailId
  /** The open job's log lines so far, and where the next refresh asks from (only new lines come). */
  let detailLog = { id: undefined, cursor: undefined, lines: [] }
  /** The open job's last checkpoints (GET /v1/jobs/{id}/checkpoints), newest first. */
  let detailCheckpoints = { id: undefined, entries: [] }
  /** Jobs whose checkpoint history the operator opened: a redraw keeps it open. */
  const openCheckpointHistories = new Set()
  let toastTimer
  /** Jobs whose error history the operator opened: a redraw keeps it open. */
  const openHistories = new Set()

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || `HTTP ${status}`)
      this.status = status
    }
  }

  /** Builds an element; children that are not nodes become text, so nothing is parsed as HTML. */
  function h(tag, props, ...children) {
    const el = document.createElement(tag)
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue
      if (key === 'class') el.className = value
      else if (key === 'dataset') Object.assign(el.dataset, value)
      else if (key === 'style') Object.assign(el.style, value)
      else if (key.startsWith('on')) listen(el, key.slice(2), value)
      else el.setAttribute(key, value === true ? '' : String(value))
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue
      el.append(child instanceof Node ? child : String(child))
    }
    return el
  }

  /**
   * Handlers live in `el.handlers`, called through one listener per event type, so that an element
   * kept by `updateChildren` can take the handlers of the one it stands in for (`takeHandlers`).
   */
  function listen(el, type, handler) {
    el.handlers ??= {}
    if (!el.handlers[type]) el.addEventListener(type, (event) => el.handlers[type]?.(event))
    el.handlers[type] = handler
  }

  function takeHandlers(kept, next) {
    for (const type of Object.keys(kept.handlers ?? {})) if (!next.handlers?.[type]) kept.handlers[type] = undefined
    for (const [type, handler] of Object.entries(next.handlers ?? {})) listen(kept, type, handler)
  }

  /**
   * Puts `nodes` in `parent` in place of its children, changing only what differs. The refresh (every
   * 2 s, and after pushed events) draws every list again; replacing the rows swapped the buttons under
   * the pointer, and a click whose mouse-down and mouse-up fell on either side of a refresh reached no
   * button at all (the browser test lost a schedule's Trigger and a queue's Resume this way under CI
   * load, and a running job's row, whose progress changes at every refresh, lost its Cancel button
   * each time). So an element whose tag and attributes are unchanged is kept, with the new one's
   * handlers, and only its children are brought up to date, text in place; a changed one is replaced.
   */
  function updateChildren(parent, nodes) {
    const old = [...parent.childNodes]
    nodes.forEach((node, i) => {
      if (i >= old.length) parent.append(node)
      else update(old[i], node)
    })
    for (const surplus of old.slice(nodes.length)) surplus.remove()
  }

  function update(old, next) {
    if (old.nodeType === Node.TEXT_NODE && next.nodeType === Node.TEXT_NODE) {
      if (old.data !== next.data) old.data = next.data
    } else if (
      old.nodeType === Node.ELEMENT_NODE &&
      next.nodeType === Node.ELEMENT_NODE &&
      sameTagAndAttributes(old, next)
    ) {
      takeHandlers(old, next)
      updateChildren(old, [...next.childNodes])
    } else old.replaceWith(next)
  }

  function sameTagAndAttributes(a, b) {
    if (a.tagName !== b.tagName || a.attributes.length !== b.attributes.length) return false
    for (const { name, value } of a.attributes) if (b.getAttribute(name) !== value) return false
    return true
  }

  function decodeClaims(jwt) {
    try {
      const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')
      const bytes = Uint8Array.from(atob(part + '==='.slice((part.length + 3) % 4)), (ch) => ch.charCodeAt(0))
      return JSON.parse(new TextDecoder().decode(bytes))
    } catch {
      return {}
    }
  }

  function scopesOf(claims) {
    const found = new Set()
    const add = (value) => {
      if (typeof value === 'string')
        value
          .split(' ')
          .filter(Boolean)
          .forEach((s) => found.add(s))
      if (Array.isArray(value)) value.filter((s) => typeof s === 'string').forEach((s) => found.add(s))
    }
    add(claims.scope)
    add(claims.scp)
    return found
  }

  async function api(path, init = {}) {
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json', ...init.headers }
    const response = await fetch(path, { ...init, headers, cache: 'no-store' })
    const body = await response.json().catch(() => null)
    if (!response.ok) throw new ApiError(response.status, body)
    return body
  }

  // ---- formatting -------------------------------------------------------------------------

  /** A time relative to now: "3 h ago", or "in 3 h" for one still ahead (a scheduled runAt). */
  function relative(iso) {
    if (!iso) return '–'
    const ms = Date.parse(iso) - Date.now()
    // Within a second is now: the browser's clock and the database's differ a little.
    const future = ms > 1000
    const seconds = Math.round(Math.abs(ms) / 1000)
    // Ahead, round ("in 3 h" for 2 h 59 min); behind, count whole units as before.
    const round = future ? Math.round : Math.floor
    const [minutes, hours, days] = [60, 3600, 86400].map((size) => round(seconds / size))
    const span = minutes < 1 ? `${seconds} s` : hours < 1 ? `${minutes} min` : days < 1 ? `${hours} h` : `${days} d`
    return future ? `in ${span}` : `${ms > 0 ? '0 s' : span} ago`
  }

  const when = (iso) => h('span', { title: iso ? new Date(iso).toLocaleString() : '' }, relative(iso))
  const pill = (state) => h('span', { class: 'pill', dataset: { state } }, state)
  /** Why a queued job waits, as the API says (`waitReason`); a retry waiting out its backoff says so. */
  const WAIT_LABELS = {
    'no-instance': 'no instance',
    scheduled: 'scheduled',
    paused: 'paused',
    concurrency: 'at its limit',
    'rate-limit': 'rate limit',
  }
  const waitLabel = (job) =>
    job.waitReason === 'scheduled' && job.attempts > 0
      ? `retry ${job.attempts + 1} of ${job.maxAttempts}`
      : WAIT_LABELS[job.waitReason] || job.waitReason
  const waitTag = (job) =>
    job.waitReason
      ? h(
          'span',
          {
            class: 'tag',
            dataset: { reason: job.waitReason },
            title:
              job.waitReason === 'no-instance'
                ? `no running instance serves queue ${job.queue}`
                : `runs ${relative(job.runAt)}`,
          },
          waitLabel(job),
        )
      : null
  const jobLink = (job) => h('span', { class: 'mono' }, `#${job.id}`)
  const compactJson = (value, max = 60) => {
    if (value === null || value === undefined) return '–'
    const text = JSON.stringify(value)
    return text.length > max ? `${text.slice(0, max - 1)}…` : text
  }

  function progressBar(progress) {
    const fraction = progress ? progress.fraction : 0
    const percent = Math.round(fraction * 100)
    return h(
      'div',
      { class: 'progress' },
      h(
        'div',
        { class: 'bar', role: 'progressbar', 'aria-valuenow': percent, 'aria-valuemin': 0, 'aria-valuemax': 100 },
        h('div', { style: { width: `${percent}%` } }),
      ),
      h(
        'span',
        { class: 'progress-label' },
        progress ? `${percent}%${progress.message ? ` · ${progress.message}` : ''}` : 'no progress yet',
      ),
    )
  }

  function toast(message) {
    const el = $('toast')
    el.textContent = message
    el.hidden = false
    clearTimeout(toastTimer)
    toastTimer = setTimeout(() => (el.hidden = true), 3500)
  }

  // ---- rendering --------------------------------------------------------------------------

  function renderStatus(status) {
    const state = $('instance-state')
    state.dataset.state = status.state
    state.textContent = status.state
    $('instance-meta').textContent =
      `instance ${status.instanceId.slice(0, 8)} · ${status.database} · ${status.queues.join(', ')} · up ${relative(status.startedAt).replace(' ago', '')}`
    $('stat-running').textContent = `${status.runningJobs} / ${status.concurrency}`
    const admin = scopes.has('admin')
    $('drain-button').hidden = !admin || status.state !== 'running'
    $('resume-button').hidden = !admin || (status.state !== 'draining' && status.state !== 'drained')
  }

  function renderQueues({ queues, otherQueues }) {
    const totals = Object.fromEntries(STATES.map((s) => [s, 0]))
    let scheduled = 0
    let unserved = 0
    const count = (n, state) => h('td', { class: n ? 'num' : 'num zero', dataset: { state } }, n.toLocaleString())
    const rows = queues.map(({ queue, counts, served, instances, ...rest }) => {
      const sum = STATES.reduce((n, s) => n + counts[s], 0) || 1
      STATES.forEach((s) => (totals[s] += counts[s]))
      scheduled += rest.scheduled
      if (!served) unserved += counts.queued
      return h(
        'tr',
        { dataset: { queue, served: String(served), paused: String(rest.paused) } },
        h(
          'td',
          { class: 'mono' },
          queue,
          rest.paused
            ? h(
                'span',
                {
                  class: 'tag',
                  dataset: { reason: 'paused' },
                  title: 'no instance claims its jobs until it is resumed',
                },
                'paused',
              )
            : null,
        ),
        h(
          'td',
          {},
          served
            ? `${instances} instance${instances === 1 ? '' : 's'}`
            : h(
                'span',
                {
                  class: 'tag unserved',
                  title: 'no running instance lists this queue in QUEUES: its jobs will not run',
                },
                'no instance',
              ),
        ),
        count(counts.queued, 'queued'),
        count(rest.scheduled, 'scheduled'),
        STATES.filter((s) => s !== 'queued').map((s) => count(counts[s], s)),
        h(
          'td',
          {},
          h(
            'div',
            { class: 'stack' },
            STATES.map((s) =>
              h('span', {
                class: `s-${s}`,
                title: `${s}: ${counts[s]}`,
                style: { width: `${(counts[s] / sum) * 100}%` },
              }),
            ),
          ),
        ),
        h('td', { class: 'actions' }, queuePauseButtons(queue, rest.paused)),
      )
    })
    if (otherQueues) {
      STATES.forEach((s) => (totals[s] += otherQueues.counts[s]))
      scheduled += otherQueues.scheduled
      unserved += otherQueues.counts.queued
    }
    $('other-queues').hidden = !otherQueues
    $('other-queues').textContent = otherQueues
      ? `…and ${otherQueues.queues.toLocaleString()} more queues, served by no instance, with ${otherQueues.counts.queued.toLocaleString()} queued jobs`
      : ''
    updateChildren(
      $('queues').tBodies[0],
      rows.length ? rows : [h('tr', {}, h('td', { class: 'empty', colspan: 12 }, 'No queues yet'))],
    )
    for (const s of ['queued', 'succeeded', 'failed', 'cancelled'])
      $(`stat-${s}`).textContent = totals[s].toLocaleString()
    const detail = [
      scheduled && `${scheduled.toLocaleString()} scheduled`,
      unserved && `${unserved.toLocaleString()} with no instance`,
    ].filter(Boolean)
    $('stat-queued-detail').textContent = detail.join(' · ')
  }

  function cancelButton(job) {
    if (!scopes.has('jobs:write') || !['queued', 'running', 'paused'].includes(job.state)) return null
    return h(
      'button',
      {
        class: 'small danger',
        dataset: { action: 'cancel', jobId: job.id },
        disabled: job.cancelRequested,
        onclick: (event) => {
          event.stopPropagation()
          cancelJob(job.id)
        },
      },
      job.cancelRequested ? 'Cancelling…' : 'Cancel',
    )
  }

  function actionButton(label, action, job, cls, run) {
    return h(
      'button',
      {
        class: `small ${cls}`,
        dataset: { action, jobId: job.id },
        onclick: (event) => {
          event.stopPropagation()
          run(job.id)
        },
      },
      label,
    )
  }

  /** A queued or running job may be paused (unless a pause is already asked); a paused one resumed. */
  const pausable = (job) => (job.state === 'queued' || job.state === 'running') && !job.pauseRequested
  const resumable = (job) => job.state === 'paused' || (job.state === 'running' && job.pauseRequested)

  /**
   * Retry for a failed or cancelled job, Pause or Resume and Cancel for one still queued, running or
   * paused, Replay for any.
   */
  function jobActions(job) {
    if (!scopes.has('jobs:write')) return null
    const finishedBadly = job.state === 'failed' || job.state === 'cancelled'
    const live = ['queued', 'running', 'paused'].includes(job.state)
    return h(
      'div',
      { class: 'actions' },
      finishedBadly ? actionButton('Retry', 'retry', job, 'primary', retryJob) : null,
      actionButton('Replay', 'replay', job, 'ghost', replayJob),
      pausable(job) ? actionButton('Pause', 'pause', job, 'ghost', pauseJob) : null,
      resumable(job) ? actionButton('Resume', 'resume', job, 'primary', resumeJob) : null,
      live ? actionButton('Cancel', 'cancel', job, 'danger', cancelJob) : null,
    )
  }

  /** A job's failed attempts, newest first, each with its stack behind a toggle. */
  function errorHistory(job) {
    if (!job.errors || job.errors.length === 0) return null
    return h(
      'details',
      {
        class: 'history',
        open: openHistories.has(job.id),
        onclick: (event) => event.stopPropagation(),
        ontoggle: (event) => (event.target.open ? openHistories.add(job.id) : openHistories.delete(job.id)),
      },
      h('summary', {}, `Error history (${job.errors.length})`),
      h(
        'ol',
        {},
        job.errors
          .slice()
          .reverse()
          .map((entry) =>
            h(
              'li',
              { dataset: { attempt: entry.attempt } },
              h(
                'div',
                { class: 'head' },
                h('span', { class: 'mono' }, `attempt ${entry.attempt}`),
                h('strong', {}, entry.name),
                when(entry.at),
              ),
              h('div', { class: 'message' }, entry.message),
              entry.stack ? h('details', {}, h('summary', {}, 'stack'), h('pre', {}, entry.stack)) : null,
            ),
          ),
      ),
    )
  }

  function renderRunning({ jobs }) {
    $('running-count').textContent = jobs.length ? `${jobs.length} running` : ''
    const rows = jobs.map((job) =>
      h(
        'tr',
        { class: 'clickable', dataset: { jobId: job.id, state: job.state }, onclick: () => openDetail(job.id) },
        h('td', {}, jobLink(job)),
        h('td', {}, job.type),
        h('td', { class: 'mono' }, job.queue),
        h('td', {}, progressBar(job.progress)),
        h(
          'td',
          { class: 'mono checkpoint', title: compactJson(job.checkpoint, 2000) },
          compactJson(job.checkpoint, 40),
        ),
        h('td', {}, when(job.startedAt)),
        h('td', {}, cancelButton(job)),
      ),
    )
    updateChildren(
      $('running').tBodies[0],
      rows.length ? rows : [h('tr', {}, h('td', { class: 'empty', colspan: 7 }, 'Nothing is running'))],
    )
  }

  function renderScheduled({ jobs }) {
    const rows = jobs.map((job) =>
      h(
        'tr',
        { class: 'clickable', dataset: { jobId: job.id, state: job.state }, onclick: () => openDetail(job.id) },
        h('td', {}, jobLink(job)),
        h('td', {}, job.type),
        h('td', { class: 'mono' }, job.queue),
        h('td', { class: 'runs-at' }, when(job.runAt)),
        h(
          'td',
          {},
          waitTag(job),
          job.attempts > 0 && job.error
            ? h('span', { class: 'muted small' }, ` last error: ${job.error.slice(0, 80)}`)
            : null,
        ),
        h('td', {}, cancelButton(job)),
      ),
    )
    updateChildren(
      $('scheduled').tBodies[0],
      rows.length ? rows : [h('tr', {}, h('td', { class: 'empty', colspan: 6 }, 'Nothing scheduled'))],
    )
  }

  /** Schedules: timing, next runs, the last job and its state, and Pause/Resume/Trigger. */
  function renderSchedules({ schedules }) {
    const rows = schedules.map((schedule) => {
      const last = schedule.lastJob
      const counts = [
        `fired ${schedule.fired}`,
        schedule.skipped ? `skipped ${schedule.skipped}` : null,
        schedule.missed ? `missed ${schedule.missed}` : null,
      ]
        .filter(Boolean)
        .join(' · ')
      return h(
        'tr',
        { dataset: { scheduleId: schedule.id, paused: String(schedule.paused) } },
        h(
          'td',
          {},
          h('span', { class: 'mono' }, schedule.id),
          schedule.source === 'code' ? h('span', { class: 'tag', title: 'declared in code' }, 'code') : null,
          schedule.paused ? h('span', { class: 'tag', dataset: { reason: 'paused' } }, 'paused') : null,
        ),
        h(
          'td',
          { class: 'mono' },
          schedule.cron !== null ? `${schedule.cron} (${schedule.timezone})` : `every ${schedule.every}`,
        ),
        h('td', {}, schedule.job.type),
        h(
          'td',
          { class: 'next-runs', title: schedule.nextRuns.map((run) => new Date(run).toLocaleString()).join('\n') },
          schedule.nextRuns.length ? schedule.nextRuns.slice(0, 3).map((run) => h('div', {}, when(run))) : '–',
        ),
        h(
          'td',
          {},
          last
            ? h(
                'span',
                { class: 'clickable', onclick: () => openDetail(last.id) },
                jobLink(last),
                ' ',
                last.state ? pill(last.state) : h('span', { class: 'muted small' }, 'pruned'),
              )
            : h('span', { class: 'muted small' }, 'no job yet'),
          h('div', { class: 'muted small' }, counts),
          schedule.lastError ? h('div', { class: 'error small' }, schedule.lastError.slice(0, 120)) : null,
        ),
        h(
          'td',
          { class: 'actions' },
          h(
            'button',
            {
              class: 'ghost',
              onclick: () => scheduleAction(schedule.id, schedule.paused ? 'resume' : 'pause'),
            },
            schedule.paused ? 'Resume' : 'Pause',
          ),
          h('button', { class: 'primary', onclick: () => scheduleAction(schedule.id, 'trigger') }, 'Trigger'),
        ),
      )
    })
    updateChildren(
      $('schedules').tBodies[0],
      rows.length ? rows : [h('tr', {}, h('td', { class: 'empty', colspan: 6 }, 'No schedules'))],
    )
  }

  /** Failed jobs, then jobs waiting for a retry after a failed attempt (among the queued ones read). */
  function renderFailures({ jobs: failed }, queued) {
    const retrying = queued
      ? queued.jobs.filter((job) => job.errors.length > 0 && Date.parse(job.runAt) > Date.now())
      : []
    $('failed-count').textContent = failed.length ? `${failed.length}${failed.length === 20 ? '+' : ''} failed` : ''
    $('retry-all').hidden = !scopes.has('jobs:write') || failed.length === 0
    const items = [...failed, ...retrying].map((job) =>
      h(
        'li',
        { dataset: { jobId: job.id, state: job.state }, onclick: () => openDetail(job.id) },
        h(
          'div',
          { class: 'head' },
          jobLink(job),
          h('strong', {}, job.type),
          job.state === 'queued' ? pill('retrying') : null,
          h(
            'span',
            { class: 'muted small' },
            job.state === 'failed'
              ? `${job.attempts} of ${job.maxAttempts} attempts · ${relative(job.finishedAt)}${job.retries ? ` · retried ${job.retries}×` : ''}`
              : `attempt ${job.attempts} of ${job.maxAttempts} failed · next try ${relative(job.runAt)}`,
          ),
          jobActions(job),
        ),
        h('div', { class: 'err' }, job.error || 'no error recorded'),
        errorHistory(job),
      ),
    )
    updateChildren($('failures'), items.length ? items : [h('li', { class: 'empty' }, 'No failures. ')])
  }

  function renderRecent({ jobs }) {
    const rows = jobs.map((job) =>
      h(
        'tr',
        { class: 'clickable', dataset: { jobId: job.id, state: job.state }, onclick: () => openDetail(job.id) },
        h('td', {}, jobLink(job)),
        h('td', {}, job.type),
        h('td', { class: 'mono' }, job.queue),
        h('td', {}, pill(job.state), waitTag(job)),
        h('td', {}, when(job.createdAt)),
      ),
    )
    updateChildren(
      $('recent').tBodies[0],
      rows.length ? rows : [h('tr', {}, h('td', { class: 'empty', colspan: 5 }, 'No jobs yet'))],
    )
  }

  /** A payload schema in one line, TypeScript-like: `{ to: integer, stepMs?: integer }`. */
  function payloadShape(schema) {
    if (!schema.properties) {
      return typeof schema.type === 'string' ? schema.type : Object.keys(schema).length ? 'see schema' : 'any'
    }
    const required = new Set(Array.isArray(schema.required) ? schema.required : [])
    const fields = Object.entries(schema.properties).map(
      ([name, p]) => `${name}${required.has(name) ? '' : '?'}: ${[].concat(p.type || 'any').join(' | ')}`,
    )
    return `{ ${fields.join(', ')} }`
  }

  function renderJobTypes({ jobTypes }) {
    const rows = jobTypes.map(({ name, defaults, payloadSchema }) =>
      h(
        'tr',
        { dataset: { jobType: name } },
        h('td', { class: 'mono' }, name),
        h('td', { class: 'mono' }, defaults.queue),
        h('td', { class: 'num' }, defaults.maxAttempts),
        h('td', { class: 'num' }, defaults.timeoutSeconds === null ? '–' : `${defaults.timeoutSeconds} s`),
        h(
          'td',
          {},
          h(
            'details',
            {},
            h('summary', { class: 'mono' }, payloadShape(payloadSchema)),
            h('pre', {}, JSON.stringify(payloadSchema, null, 2)),
          ),
        ),
      ),
    )
    const empty = h('tr', {}, h('td', { class: 'empty', colspan: 5 }, 'No job types'))
    $('job-types').tBodies[0].replaceChildren(...(rows.length ? rows : [empty]))
  }

  /** Once per sign-in: the job types are fixed while an instance runs. */
  async function loadJobTypes() {
    try {
      renderJobTypes(await api('/v1/job-types'))
    } catch (error) {
      const message = h('td', { class: 'empty', colspan: 5 }, `Job types unavailable: ${error.message}`)
      $('job-types').tBodies[0].replaceChildren(h('tr', {}, message))
    }
  }

  function renderDetail(job) {
    $('detail-title').textContent = `Job #${job.id}`
    const state = $('detail-state')
    state.dataset.state = job.state
    state.textContent = job.state
    const cancel = $('detail-cancel')
    cancel.hidden = !scopes.has('jobs:write') || !['queued', 'running', 'paused'].includes(job.state)
    cancel.disabled = job.cancelRequested
    cancel.textContent = job.cancelRequested ? 'Cancelling…' : 'Cancel job'
    $('detail-pause').hidden = !scopes.has('jobs:write') || !pausable(job)
    $('detail-resume').hidden = !scopes.has('jobs:write') || !resumable(job)
    $('detail-retry').hidden = !scopes.has('jobs:write') || (job.state !== 'failed' && job.state !== 'cancelled')
    $('detail-replay').hidden = !scopes.has('jobs:write')
    const field = (label, value) => [h('dt', {}, label), h('dd', {}, value)]
    const block = (title, value, cls) =>
      value === null || value === undefined
        ? null
        : [
            h('h3', {}, title),
            h('pre', { class: cls }, typeof value === 'string' ? value : JSON.stringify(value, null, 2)),
          ]
    const parts = [
      h(
        'dl',
        {},
        field('Type', job.type),
        field('Queue', h('span', { class: 'mono' }, job.queue)),
        field('Attempts', `${job.attempts} of ${job.maxAttempts}`),
        field('Interruptions', String(job.interruptions)),
        field('Retries', String(job.retries)),
        job.replayOf
          ? field(
              'Replay of',
              h(
                'a',
                { href: '#', onclick: (event) => (event.preventDefault(), openDetail(job.replayOf)) },
                `#${job.replayOf}`,
              ),
            )
          : null,
        field('Priority', String(job.priority)),
        field('Timeout', job.timeoutSeconds === null ? 'none' : `${job.timeoutSeconds} s`),
        field('Created', when(job.createdAt)),
        field('Run at', when(job.runAt)),
        job.waitReason
          ? field('Waiting', [
              waitTag(job),
              job.waitReason === 'no-instance' ? ` no running instance serves queue ${job.queue}` : '',
            ])
          : null,
        field('Started', when(job.startedAt)),
        field('Finished', when(job.finishedAt)),
        field('Cancel requested', job.cancelRequested ? when(job.cancelRequestedAt) : 'no'),
        job.cancelRequested
          ? field(
              'Cancel acknowledged',
              job.cancelAcknowledgedAt ? when(job.cancelAcknowledgedAt) : 'not yet: its run has not stopped',
            )
          : null,
        job.pauseRequested ? field('Pause requested', 'yes: it pauses at its next check') : null,
      ),
      h('h3', {}, 'Progress'),
      progressBar(job.progress),
      block('Payload', job.payload),
      block('Checkpoint', job.checkpoint),
      checkpointHistory(job),
      block('Result', job.result),
      block('Error', job.error, 'err'),
      errorHistory(job),
      logBlock(job),
    ]
    updateChildren($('detail-body'), parts.flat().filter(Boolean))
  }

  /** The open job's new log lines since the last refresh, appended to what the drawer shows. */
  async function fetchDetailLog(id) {
    const from = detailLog.id === id ? detailLog.cursor : undefined
    const page = await api(
      `/v1/jobs/${encodeURIComponent(id)}/logs?limit=1000${from ? `&cursor=${encodeURIComponent(from)}` : ''}`,
    )
    if (detailId !== id) return
    const kept = detailLog.id === id ? detailLog.lines : []
    detailLog = { id, cursor: page.nextCursor, lines: kept.concat(page.lines).slice(-1000) }
  }

  /** The open job's last checkpoints; read again at every refresh (at most 10, bounded in size). */
  async function fetchDetailCheckpoints(id) {
    const { checkpoints } = await api(`/v1/jobs/${encodeURIComponent(id)}/checkpoints`)
    if (detailId === id) detailCheckpoints = { id, entries: checkpoints }
  }

  /** The job's last checkpoints, newest first: when, which version, written by its run or an operator. */
  function checkpointHistory(job) {
    const entries = detailCheckpoints.id === job.id ? detailCheckpoints.entries : []
    if (entries.length === 0) return null
    return h(
      'details',
      {
        class: 'history checkpoints',
        open: openCheckpointHistories.has(job.id),
        ontoggle: (event) =>
          event.target.open ? openCheckpointHistories.add(job.id) : openCheckpointHistories.delete(job.id),
      },
      h('summary', {}, `Checkpoint history (${entries.length})`),
      h(
        'ol',
        {},
        entries.map((entry) =>
          h(
            'li',
            {},
            h(
              'div',
              { class: 'head' },
              h('span', { class: 'mono' }, `v${entry.version}`),
              h('strong', {}, entry.source === 'operator' ? 'edited by an operator' : 'written by its run'),
              when(entry.writtenAt),
            ),
            h(
              'pre',
              {},
              entry.checkpoint === null
                ? `(${entry.bytes} bytes: too large to keep)`
                : compactJson(entry.checkpoint, 2000),
            ),
          ),
        ),
      ),
    )
  }

  /** The job's own log lines (ctx.log), newest at the bottom. */
  function logBlock(job) {
    const lines = detailLog.id === job.id ? detailLog.lines : []
    return [
      h('h3', {}, `Log (${lines.length} ${lines.length === 1 ? 'line' : 'lines'})`),
      h(
        'pre',
        { class: 'job-log', dataset: { jobId: job.id } },
        lines.length === 0
          ? 'No lines yet.'
          : lines
              .map((line) => {
                const fields = line.fields ? ` ${compactJson(line.fields, 500)}` : ''
                return `${line.at.slice(11, 23)} ${line.level.toUpperCase().padEnd(5)} ${line.message}${fields}`
              })
              .join('\n'),
      ),
    ]
  }

  function showBanner(message) {
    const banner = $('banner')
    banner.hidden = !message
    banner.textContent = message || ''
  }

  // ---- data flow --------------------------------------------------------------------------

  async function refresh() {
    const admin = scopes.has('admin')
    const calls = [
      admin ? api('/v1/admin/status') : null,
      admin ? api('/v1/admin/queues') : null,
      api('/v1/jobs?state=running&limit=100'),
      api('/v1/jobs?state=failed&limit=20'),
      api('/v1/jobs?limit=12'),
      detailId ? api(`/v1/jobs/${encodeURIComponent(detailId)}`) : null,
      api('/v1/jobs?scheduled=true&limit=20'),
      api('/v1/jobs?state=queued&limit=100'),
      api('/v1/schedules?limit=100'),
      detailId ? fetchDetailLog(detailId) : null,
      detailId ? fetchDetailCheckpoints(detailId) : null,
    ]
    const results = await Promise.allSettled(calls)
    const [status, queues, running, failures, recent, detail, scheduled, queued, schedules] = results
    const failed = results.filter((r) => r.status === 'rejected').map((r) => r.reason)
    if (failed.some((e) => e instanceof ApiError && e.status === 401))
      return signOut('Your token was rejected or has expired: sign in again.')
    if (status.value) renderStatus(status.value)
    if (queues.value) renderQueues(queues.value)
    if (running.value) renderRunning(running.value)
    if (failures.value) renderFailures(failures.value, queued.value)
    if (recent.value) renderRecent(recent.value)
    if (scheduled.value) renderScheduled(scheduled.value)
    if (schedules.value) renderSchedules(schedules.value)
    if (detail.value) renderDetail(detail.value)
    if (detail.status === 'rejected' && detail.reason instanceof ApiError && detail.reason.status === 404) {
      closeDetail()
      toast(`No job #${detailId} for this token`)
    }

    if (failed.some((e) => !(e instanceof ApiError))) {
      $('instance-state').dataset.state = 'offline'
      $('instance-state').textContent = 'offline'
      showBanner('The service does not answer; retrying every 2 s…')
    } else if (failed.some((e) => e.status === 503)) {
      showBanner(
        'This instance takes no job requests while it is draining or stopping: the job lists are frozen until it resumes.',
      )
    } else if (!admin) {
      showBanner('This token has no admin scope: instance state, queue depth and drain are hidden.')
    } else {
      showBanner(failed.length ? failed[0].message : '')
    }
    $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`
  }

  /** Refreshes now (or right after the refresh under way), then every REFRESH_MS. */
  function refreshNow() {
    clearTimeout(timer)
    if (refreshing) {
      refreshAgain = true
      return refreshing
    }
    refreshing = refresh()
      .catch((error) => showBanner(String(error && error.message)))
      .finally(() => {
        refreshing = undefined
        if (!token) return
        if (refreshAgain) {
          refreshAgain = false
          refreshNow()
        } else timer = setTimeout(refreshNow, REFRESH_MS)
      })
    return refreshing
  }

  // ---- push: the event stream of the caller's jobs (GET /v1/events) ---------------------------
  // EventSource cannot send an Authorization header, so the stream is read with fetch. Each event
  // brings the next refresh forward (at most one per PUSH_REFRESH_MS); the 2 s poll stays as the
  // fallback for what the stream does not carry (queue depth, schedules, instance state).
  const PUSH_REFRESH_MS = 250
  let stream
  let pushTimer

  function openStream(lastEventId) {
    closeStream()
    const controller = new AbortController()
    stream = controller
    const headers = { authorization: `Bearer ${token}`, accept: 'text/event-stream' }
    if (lastEventId) headers['last-event-id'] = lastEventId
    let lastId = lastEventId
    let retryMs = 2000
    ;(async () => {
      const response = await fetch('/v1/events', { headers, signal: controller.signal, cache: 'no-store' })
      // An unread answer would keep its connection busy, and the browser has six per host.
      if (!response.ok || !response.body) return response.body && response.body.cancel()
      $('updated').dataset.push = 'on'
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buffer += value
        let end
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) lastId = line.slice(4)
            else if (line.startsWith('retry: ')) retryMs = Number(line.slice(7)) || retryMs
          }
          if (/^event: (state|progress|checkpoint|retry)$/m.test(block)) pushRefresh()
        }
      }
    })()
      .catch(() => {})
      .finally(() => {
        if (stream !== controller) return
        $('updated').dataset.push = 'off'
        stream = undefined
        // The instance drained or restarted: reconnect, wherever the load balancer sends us.
        if (token) setTimeout(() => token && !stream && openStream(lastId), retryMs)
      })
  }

  function closeStream() {
    if (stream) stream.abort()
    stream = undefined
    // A refresh asked by the stream must not run after a sign-out (with no token it would be refused).
    clearTimeout(pushTimer)
    pushTimer = undefined
  }

  function pushRefresh() {
    if (pushTimer) return
    pushTimer = setTimeout(() => {
      pushTimer = undefined
      if (token) refreshNow()
    }, PUSH_REFRESH_MS)
  }

  async function cancelJob(id) {
    try {
      const job = await api(`/v1/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' })
      toast(
        job.state === 'cancelled'
          ? `Job #${id} cancelled`
          : `Job #${id}: cancel requested, it will stop at its next check`,
      )
    } catch (error) {
      toast(`Job #${id}: ${error.message}`)
    }
    refreshNow()
  }

  async function pauseJob(id) {
    try {
      const job = await api(`/v1/jobs/${encodeURIComponent(id)}/pause`, { method: 'POST' })
      toast(
        job.state === 'paused'
          ? `Job #${id} paused`
          : `Job #${id}: pause requested, it stops at its next check with its checkpoint written`,
      )
    } catch (error) {
      toast(`Job #${id}: ${error.message}`)
    }
    refreshNow()
  }

  async function resumeJob(id) {
    try {
      const job = await api(`/v1/jobs/${encodeURIComponent(id)}/resume`, { method: 'POST' })
      toast(job.state === 'queued' ? `Job #${id} queued again, from its checkpoint` : `Job #${id}: pause withdrawn`)
    } catch (error) {
      toast(`Job #${id}: ${error.message}`)
    }
    refreshNow()
  }

  async function retryJob(id) {
    try {
      const job = await api(`/v1/jobs/${encodeURIComponent(id)}/retry`, { method: 'POST' })
      toast(
        `Job #${id} queued again from its ${job.checkpoint === null ? 'start' : 'checkpoint'} (retry ${job.retries})`,
      )
    } catch (error) {
      toast(`Job #${id}: ${error.message}`)
    }
    refreshNow()
  }

  /**
   * "Retry all matching": counts the failed jobs this token may retry (a dry run), asks for a
   * confirmation naming that count, creates the bulk action and shows its progress until it completes.
   */
  async function retryAllFailed() {
    const request = { action: 'retry', filter: { state: 'failed' } }
    const post = (body) =>
      api('/v1/bulk-actions', {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      })
    const progress = $('bulk-progress')
    try {
      const { matched } = await post({ ...request, dryRun: true })
      if (matched === 0) return toast('No failed jobs to retry')
      if (
        !confirm(
          `Retry all ${matched} failed job${matched === 1 ? '' : 's'}? Each goes back to the queue from its checkpoint.`,
        )
      )
        return
      let action = await post(request)
      $('retry-all').disabled = true
      progress.hidden = false
      for (;;) {
        progress.dataset.state = action.state
        progress.dataset.bulkActionId = action.id
        progress.textContent =
          action.state === 'completed'
            ? `Retried ${action.done} of ${action.matched} failed jobs${action.failed ? ` (${action.failed} could not be)` : ''}`
            : `Retrying ${action.done} of ${action.matched} failed jobs…`
        if (action.state === 'completed') break
        await new Promise((resolve) => setTimeout(resolve, 500))
        action = await api(`/v1/bulk-actions/${encodeURIComponent(action.id)}`)
      }
    } catch (error) {
      toast(`Retry all: ${error.message}`)
    } finally {
      $('retry-all').disabled = false
    }
    refreshNow()
  }

  async function replayJob(id) {
    try {
      const job = await api(`/v1/jobs/${encodeURIComponent(id)}/replay`, { method: 'POST' })
      toast(`Job #${id} replayed as job #${job.id}`)
    } catch (error) {
      toast(`Job #${id}: ${error.message}`)
    }
    refreshNow()
  }

  async function scheduleAction(id, action) {
    try {
      const answer = await api(`/v1/schedules/${encodeURIComponent(id)}/${action}`, { method: 'POST' })
      toast(
        action === 'trigger'
          ? `Schedule ${id}: job #${answer.id} enqueued`
          : `Schedule ${id} ${action === 'pause' ? 'paused' : 'resumed'}`,
      )
    } catch (error) {
      toast(`Schedule ${id}: ${error.message}`)
    }
    refreshNow()
  }

  /**
   * Pause (running jobs finish), Pause now (running jobs stop at a checkpoint and go back to the
   * queue), or Resume: cluster-wide, stored, through /v1/admin/queues/{queue}/pause|resume.
   */
  function queuePauseButtons(queue, paused) {
    const act = (action, mode) => () =>
      queuePause(queue, action, mode).catch((error) => toast(`Queue ${queue}: ${error.message}`))
    if (paused) return h('button', { class: 'ghost', onclick: act('resume') }, 'Resume')
    return [
      h(
        'button',
        { class: 'ghost', title: 'no instance claims its jobs; running ones finish', onclick: act('pause', 'finish') },
        'Pause',
      ),
      h(
        'button',
        {
          class: 'ghost',
          title: 'no instance claims its jobs; running ones stop at their checkpoint and go back to the queue',
          onclick: act('pause', 'checkpoint'),
        },
        'Pause now',
      ),
    ]
  }

  async function queuePause(queue, action, mode) {
    const path = `/v1/admin/queues/${encodeURIComponent(queue)}/${action}`
    const body = mode ? { body: JSON.stringify({ mode }), headers: { 'content-type': 'application/json' } } : {}
    await api(path, { method: 'POST', ...body })
    toast(`Queue ${queue} ${action === 'pause' ? 'paused' : 'resumed'} on every instance`)
    refreshNow()
  }

  async function adminAction(path, done) {
    try {
      await api(path, { method: 'POST' })
      toast(done)
    } catch (error) {
      toast(error.message)
    }
    refreshNow()
  }

  function openDetail(id) {
    detailId = String(id)
    $('detail-title').textContent = `Job #${detailId}`
    $('detail-state').textContent = ''
    $('detail-body').replaceChildren(h('p', { class: 'muted' }, 'Loading…'))
    $('detail').hidden = false
    refreshNow()
  }

  function closeDetail() {
    detailId = undefined
    $('detail').hidden = true
  }

  /** Forgets what the previous token saw: another token may see less. */
  function resetView() {
    $('instance-state').dataset.state = 'unknown'
    $('instance-state').textContent = scopes.has('admin') ? '…' : 'state needs admin'
    $('instance-meta').textContent = ''
    $('drain-button').hidden = true
    $('resume-button').hidden = true
    // The stat cards: running here, and the states that have one (expired has a queue column only).
    for (const s of ['running', 'queued', 'succeeded', 'failed', 'cancelled']) $(`stat-${s}`).textContent = '–'
    for (const table of ['queues', 'running', 'scheduled', 'schedules', 'recent', 'job-types'])
      $(table).tBodies[0].replaceChildren()
    $('stat-queued-detail').textContent = ''
    $('other-queues').hidden = true
    $('failures').replaceChildren()
    showBanner('')
  }

  function signIn(candidate) {
    token = candidate
    scopes = scopesOf(decodeClaims(token))
    sessionStorage.setItem(TOKEN_KEY, token)
    const claims = decodeClaims(token)
    $('who').textContent = `${claims.sub || '?'} · ${[...scopes].join(' ') || 'no scopes'}`
    resetView()
    $('login').hidden = true
    $('app').hidden = false
    refreshNow()
    openStream()
    loadJobTypes()
  }

  function signOut(message) {
    token = null
    sessionStorage.removeItem(TOKEN_KEY)
    clearTimeout(timer)
    closeStream()
    closeDetail()
    $('app').hidden = true
    $('login').hidden = false
    $('login-error').hidden = !message
    $('login-error').textContent = message || ''
    $('token-input').value = ''
    $('token-input').focus()
  }

  // ---- wiring -----------------------------------------------------------------------------

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault()
    const candidate = $('token-input')
      .value.trim()
      .replace(/^Bearer\s+/i, '')
    const button = $('login-button')
    button.disabled = true
    try {
      token = candidate
      // Any authenticated read tells a good token from a bad one; a drain (503) is not the token's fault.
      await api('/v1/jobs?limit=1').catch((error) => {
        if (!(error instanceof ApiError) || error.status !== 503) throw error
      })
      signIn(candidate)
    } catch (error) {
      token = null
      $('login-error').hidden = false
      $('login-error').textContent =
        error instanceof ApiError && error.status === 403
          ? 'This token lacks the jobs:read scope.'
          : `Sign-in failed: ${error.message}`
    } finally {
      button.disabled = false
    }
  })
  $('logout-button').addEventListener('click', () => signOut())
  $('detail-close').addEventListener('click', closeDetail)
  $('detail-cancel').addEventListener('click', () => detailId && cancelJob(detailId))
  $('detail-retry').addEventListener('click', () => detailId && retryJob(detailId))
  $('detail-pause').addEventListener('click', () => detailId && pauseJob(detailId))
  $('detail-resume').addEventListener('click', () => detailId && resumeJob(detailId))
  $('detail-replay').addEventListener('click', () => detailId && replayJob(detailId))
  $('retry-all').addEventListener('click', retryAllFailed)
  $('drain-button').addEventListener('click', () => {
    if (
      confirm(
        'Drain this instance? It stops claiming jobs, interrupts the running ones (they are checkpointed and requeued) and refuses new job requests until resumed.',
      )
    ) {
      adminAction('/v1/admin/drain', 'Draining: running jobs are being checkpointed and requeued')
    }
  })
  $('resume-button').addEventListener('click', () => adminAction('/v1/admin/resume', 'Resumed: claiming jobs again'))
  $('lookup-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const id = $('lookup-input').value.trim().replace(/^#/, '')
    if (id) openDetail(id)
  })
  document.addEventListener('keydown', (event) => event.key === 'Escape' && closeDetail())

  if (token) signIn(token)
  else signOut()
})()
