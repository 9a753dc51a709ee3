import type { Context } from 'hono';
/**
 * Gives the request its id (called by the app's request frame, src/http/requestFrame.ts).
 * Returns the id when it must still be set on the Response once there is one: served without node's
 * response (app.request() or another runtime).
 */
export declare function assignRequestId(c: Context): string | undefined;
/** Sets the id `assignRequestId` left pending on the finished Response. */
export declare function setPendingRequestId(c: Context, pending: string): void;
