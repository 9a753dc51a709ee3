import { HttpProblem } from './problem.js';
import { describeErrors } from './openapi.js';
/** Deeper documents serve no job and would cost recursion further down (JSON serialization). */
export const MAX_JSON_DEPTH = 64;
export async function readJsonBody(c, validate) {
    const contentType = c.req.header('content-type') ?? '';
    if (!/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(contentType)) {
        throw new HttpProblem('unsupported-media-type', 'send the body as application/json');
    }
    const text = await c.req.text();
    let body;
    try {
        body = JSON.parse(text);
    }
    catch (error) {
        throw new HttpProblem('invalid-json', `the body is not valid JSON: ${error.message}`);
    }
    if (nestedDeeperThan(body, MAX_JSON_DEPTH)) {
        throw new HttpProblem('invalid-request', `the body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    // JSON can write a NUL or a lone surrogate only as a \u escape (the text arrives decoded from
    // UTF-8, which holds neither), so a body without one needs no walk that names a pointer per key.
    const unstorable = text.includes('\\u') ? unstorableText(body) : undefined;
    if (unstorable !== undefined) {
        // PostgreSQL's jsonb refuses both; refused here, they are the caller's error, not a 500.
        throw new HttpProblem('invalid-request', `${unstorable || '/'} holds a NUL character or an unpaired UTF-16 surrogate`, {
            errors: [{ pointer: unstorable || '/', message: 'holds a NUL character or an unpaired UTF-16 surrogate' }],
        });
    }
    if (!validate(body)) {
        const errors = describeErrors(validate.errors);
        throw new HttpProblem('invalid-request', errors.map((e) => `${e.pointer} ${e.message}`).join('; '), { errors });
    }
    return body;
}
/**
 * Whether a parsed JSON value nests deeper than `limit`, without allocating: the recursion stops one
 * level past `limit`, so it is never deeper than that however deep the document.
 */
export function nestedDeeperThan(value, limit, depth = 1) {
    if (value === null || typeof value !== 'object')
        return false;
    if (depth > limit)
        return true;
    for (const key in value) {
        if (Object.hasOwn(value, key) && nestedDeeperThan(value[key], limit, depth + 1))
            return true;
    }
    return false;
}
// eslint-disable-next-line no-control-regex -- NUL is exactly what PostgreSQL's text and jsonb cannot store
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** The JSON Pointer of the first string or key PostgreSQL cannot store as jsonb (`''` is the root), if any. */
export function unstorableText(value) {
    const stack = [[value, '']];
    while (stack.length > 0) {
        const [current, pointer] = stack.pop();
        if (typeof current === 'string') {
            if (UNSTORABLE.test(current))
                return pointer;
            continue;
        }
        if (current === null || typeof current !== 'object')
            continue;
        for (const [key, child] of Object.entries(current)) {
            const childPointer = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
            if (UNSTORABLE.test(key))
                return childPointer;
            stack.push([child, childPointer]);
        }
    }
    return undefined;
}
//# sourceMappingURL=jsonBody.js.map