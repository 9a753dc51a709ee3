import { bodyLimit as streamingBodyLimit } from 'hono/body-limit';
export const bodyLimit = ({ maxSize, onError }) => {
    const streaming = streamingBodyLimit({ maxSize, onError });
    // Not async: on the common path it only reads a header, and need not add a promise to the request.
    return function bodyLimit(c, next) {
        // A GET or HEAD body is never read (and the Fetch API gives such a request no body at all).
        if (c.req.method === 'GET' || c.req.method === 'HEAD')
            return next();
        const length = c.req.header('content-length');
        if (length === undefined || c.req.header('transfer-encoding') !== undefined)
            return streaming(c, next);
        return Number.parseInt(length, 10) > maxSize ? Promise.resolve(onError(c)) : next();
    };
};
//# sourceMappingURL=bodyLimit.js.map