/**
 * The job types, or undefined when this service or token cannot say (an older service without the
 * route, or a token without `jobs:read`): the enqueue then goes ahead and the service judges it.
 */
export async function fetchJobTypes(client, { required = false } = {}) {
    const accept = required ? [] : [403, 404, 405];
    const response = await client.request('GET', '/v1/job-types', { accept });
    return response.status === 200 ? response.body.jobTypes : undefined;
}
/** One line per type under a header: name first, so `awk 'NR>1 {print $1}'` gives the names. */
export function jobTypesTable(types) {
    const rows = [
        ['TYPE', 'QUEUE', 'ATTEMPTS', 'TIMEOUT', 'PAYLOAD'],
        ...types.map(({ name, defaults, payloadSchema }) => [
            name,
            defaults.queue,
            String(defaults.maxAttempts),
            defaults.timeoutSeconds === null ? '-' : `${defaults.timeoutSeconds}s`,
            payloadShape(payloadSchema),
        ]),
    ];
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    // The last column is not padded: no trailing blanks.
    const line = (row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
    return rows.map(line).join('\n') + '\n';
}
/** A payload schema in one line, TypeScript-like: `{ to: integer, stepMs?: integer }`; `any` for `{}`. */
export function payloadShape(schema) {
    const properties = schema.properties;
    if (!properties) {
        return typeof schema.type === 'string' ? schema.type : Object.keys(schema).length === 0 ? 'any' : 'see --json';
    }
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const fields = Object.entries(properties).map(([name, property]) => {
        const { type: declared } = property;
        const type = Array.isArray(declared) ? declared.join(' | ') : typeof declared === 'string' ? declared : 'any';
        return `${name}${required.has(name) ? '' : '?'}: ${type}`;
    });
    return `{ ${fields.join(', ')} }`;
}
/** Known names close to `name`: those it begins, or those within two edits of it. */
export function similarNames(name, known) {
    const prefixed = known.filter((candidate) => candidate.startsWith(name));
    if (prefixed.length > 0)
        return prefixed;
    return known.filter((candidate) => editDistance(name, candidate) <= 2);
}
/** Levenshtein distance; the names are short (at most 64 characters). */
function editDistance(a, b) {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
//# sourceMappingURL=jobTypes.js.map