import { Hono } from 'hono';
import type { OpenApiSpec } from '../src/http/openapi.js';
export declare function docsRoutes({ spec }: {
    spec: OpenApiSpec;
}): Hono;
