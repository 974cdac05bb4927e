// Types for scripts/cli-build.mjs, which stays plain JavaScript so it runs before anything is compiled.
export declare const CLI_DIR: string;
export declare function entryOf(outDir?: string): string;
export declare function manifestOf(outDir?: string): string;
export declare function staleReason(outDir?: string): string | null;
export declare function buildCli(outDir?: string): Promise<{ inputs: string[] }>;
export declare function assertNoRequestOnlyImports(metafile: { inputs: Record<string, { imports: { path: string; kind?: string; external?: boolean }[] }> }): void;
