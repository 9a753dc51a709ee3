import { Hono } from 'hono';
export declare function dashboardRoutes({ folder, }?: {
    folder?: string;
}): Hono;
