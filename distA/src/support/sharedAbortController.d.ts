export declare function sharedAbortController(): AbortController;
