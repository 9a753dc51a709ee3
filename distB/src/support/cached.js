/**
 * The value `cache` holds for `key`, built and kept on first use. For things made once and used
 * many times, such as statement texts and postgres.js fragments (src/db/fixedStatement.ts says why
 * those are worth keeping).
 */
export function cached(cache, key, build) {
    let value = cache.get(key);
    if (value === undefined)
        cache.set(key, (value = build()));
    return value;
}
//# sourceMappingURL=cached.js.map