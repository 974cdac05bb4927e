// Types for scripts/build-if-changed.mjs, which stays plain JavaScript so it runs before anything is compiled.
export declare function buildFingerprint(root: string): string;
export declare function buildState(root: string, distDir: string): { fingerprint: string; upToDate: boolean; reason: string };
export declare function recordBuild(root: string, distDir: string, fingerprint: string): void;
