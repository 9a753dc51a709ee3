export declare function isDriverWriteAfterClose(error: unknown): boolean;
