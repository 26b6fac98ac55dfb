/** Types for postgres.mjs, imported by the gateway's TypeScript tests. */
export declare const DEFAULT_TEST_PG_URL: string;
export declare function findPostgres(): Promise<string | undefined>;
export declare function throwawayDatabase(options: { adminUrl?: string; prefix: string }): Promise<{ name: string; url: string; drop(): Promise<void> }>;
