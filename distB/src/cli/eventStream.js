export async function* readEvents(body) {
    const decoder = new TextDecoder();
    let buffer = '';
    let id;
    let retryMs;
    let event = '';
    let data = [];
    for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline;
        while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
            if (line === '') {
                if (data.length > 0)
                    yield { event: event || 'message', id, data: data.join('\n'), retryMs };
                event = '';
                data = [];
                continue;
            }
            if (line.startsWith(':'))
                continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event')
                event = value;
            else if (field === 'data')
                data.push(value);
            else if (field === 'id' && !value.includes('\0'))
                id = value;
            else if (field === 'retry' && /^[0-9]+$/.test(value))
                retryMs = Number(value);
        }
    }
}
//# sourceMappingURL=eventStream.js.map