/** Per-request values, typed once for every `c.get`/`c.set` of the app. */
import type { Principal } from '../auth/scopes.js';
declare module 'hono' {
    interface ContextVariableMap {
        requestId: string;
        principal: Principal;
    }
}
export {};
