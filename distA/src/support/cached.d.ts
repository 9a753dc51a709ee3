/**
 * The value `cache` holds for `key`, built and kept on first use. For things made once and used
 * many times, such as statement texts and postgres.js fragments (src/db/fixedStatement.ts says why
 * those are worth keeping).
 */
export declare function cached<K, V>(cache: {
    get(key: K): V | undefined;
    set(key: K, value: V): unknown;
}, key: K, build: () => V): V;
