/** `write` returns the text; `param(name)` stands for a value, and may name one value several times. */
export function fixedStatement(write) {
    const names = [];
    const text = write((name) => {
        names.push(name);
        return `$${names.length}`;
    });
    return { text, names };
}
export function runFixed(sql, { text, names }, values) {
    return sql.unsafe(text, names.map((name) => values[name]), { prepare: true });
}
/** A schema name as an identifier in a statement's text (names are checked at start-up: src/config.ts). */
export function quotedIdentifier(name) {
    return `"${name.replaceAll('"', '""')}"`;
}
//# sourceMappingURL=fixedStatement.js.map