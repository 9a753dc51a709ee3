export function schemaIdentifier(sql, schema) {
    return sql(schema);
}
//# sourceMappingURL=schemaIdentifier.js.map