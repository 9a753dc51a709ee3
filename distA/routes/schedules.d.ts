import { Hono } from 'hono';
import type { OpenApiSpec } from '../src/http/openapi.js';
import type { TokenVerifier } from '../src/auth/tokenVerifier.js';
import { type ScheduleService } from '../src/schedules/scheduleService.js';
export interface SchedulesRoutesOptions {
    schedules: ScheduleService;
    spec: OpenApiSpec;
    verifyToken: TokenVerifier;
}
export declare function schedulesRoutes({ schedules, spec, verifyToken }: SchedulesRoutesOptions): Hono;
