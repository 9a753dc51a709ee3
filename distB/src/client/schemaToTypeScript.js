const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
export function schemaToTypeScript(schema, indent = '', root = schema, depth = 0) {
    if (schema === true || depth > 20)
        return 'unknown';
    if (schema === false)
        return 'never';
    const recurse = (child, childIndent = indent) => schemaToTypeScript(child, childIndent, root, depth + 1);
    if (typeof schema.$ref === 'string') {
        const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(schema.$ref);
        const defs = typeof root === 'object' ? root[match?.[1] ?? ''] : undefined;
        const target = match ? defs?.[decodeURIComponent(match[2])] : undefined;
        return target === undefined ? 'unknown' : recurse(target);
    }
    if ('const' in schema)
        return JSON.stringify(schema.const);
    if (Array.isArray(schema.enum))
        return schema.enum.map((value) => JSON.stringify(value)).join(' | ') || 'never';
    for (const key of ['anyOf', 'oneOf']) {
        if (Array.isArray(schema[key]))
            return schema[key].map((s) => `(${recurse(s)})`).join(' | ');
    }
    if (Array.isArray(schema.allOf))
        return schema.allOf.map((s) => `(${recurse(s)})`).join(' & ');
    const types = Array.isArray(schema.type)
        ? schema.type
        : typeof schema.type === 'string'
            ? [schema.type]
            : [];
    if (types.length === 0)
        return schema.properties ? objectType(schema, indent, recurse) : 'unknown';
    return types
        .map((type) => {
        switch (type) {
            case 'string':
                return 'string';
            case 'integer':
            case 'number':
                return 'number';
            case 'boolean':
                return 'boolean';
            case 'null':
                return 'null';
            case 'array':
                return arrayType(schema, recurse);
            case 'object':
                return objectType(schema, indent, recurse);
            default:
                return 'unknown';
        }
    })
        .join(' | ');
}
function arrayType(schema, recurse) {
    if (Array.isArray(schema.prefixItems)) {
        const items = schema.prefixItems.map((item) => recurse(item));
        const rest = schema.items === false ? '' : `, ...${schema.items === undefined ? 'unknown' : `(${recurse(schema.items)})`}[]`;
        return `[${items.join(', ')}${rest}]`;
    }
    return schema.items === undefined ? 'unknown[]' : `(${recurse(schema.items)})[]`;
}
function objectType(schema, indent, recurse) {
    const properties = (schema.properties ?? {});
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const inner = `${indent}  `;
    const lines = Object.entries(properties).map(([name, property]) => {
        const key = IDENTIFIER.test(name) ? name : JSON.stringify(name);
        return `${inner}${key}${required.has(name) ? '' : '?'}: ${recurse(property, inner)}`;
    });
    const extra = schema.additionalProperties;
    if (extra !== false) {
        const value = extra === undefined || extra === true ? 'unknown' : recurse(extra, inner);
        lines.push(`${inner}[key: string]: ${value}${Object.keys(properties).length > 0 && value !== 'unknown' ? ' | undefined' : ''}`);
    }
    return lines.length === 0 ? 'Record<string, never>' : `{\n${lines.join('\n')}\n${indent}}`;
}
/**
 * The file `job-runner types` writes: the job types by module augmentation of `job-runner/client`,
 * each with its payload and, when the type declares a `resultSchema`, its result.
 */
export function jobTypesDeclaration(jobTypes, source) {
    const entries = jobTypes.map(({ name, payloadSchema, resultSchema }) => [
        `    ${IDENTIFIER.test(name) ? name : JSON.stringify(name)}: {`,
        `      payload: ${schemaToTypeScript(payloadSchema, '      ')}`,
        ...(resultSchema === undefined ? [] : [`      result: ${schemaToTypeScript(resultSchema, '      ')}`]),
        '    }',
    ].join('\n'));
    return [
        `// Written by \`job-runner types\` from ${source}; run it again when the job types change.`,
        "import 'job-runner/client'",
        '',
        "declare module 'job-runner/client' {",
        '  interface JobTypes {',
        ...entries,
        '  }',
        '}',
        '',
    ].join('\n');
}
//# sourceMappingURL=schemaToTypeScript.js.map