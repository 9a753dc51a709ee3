export type ProxyMode = 'open' | 'refuse' | 'blackhole';
export interface TcpProxy {
    readonly port: number;
    readonly mode: ProxyMode;
    /** Connections accepted since the start (a reconnecting client shows here). */
    readonly accepted: number;
    /** `databaseUrl` with its host and port replaced by the proxy's. */
    urlFor(databaseUrl: string): string;
    /** Destroys every connection open now. */
    cut(): void;
    refuse(): void;
    blackhole(): void;
    /** Black-holes new connections and stops every open one where it stands, both ways. */
    freeze(): void;
    restore(): void;
    close(): Promise<void>;
}
export declare function startTcpProxy(upstream: {
    host: string;
    port: number;
}): Promise<TcpProxy>;
