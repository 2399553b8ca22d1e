export declare const DEFAULT_MAJORS: number[];
export declare const CACHE_DIR: string;
export declare function binaryPackage(): string;
export declare function nodeBinary(major: number): { major: number; binary: string; version: string | undefined };
export declare function nodeBinaries(majors?: readonly number[]): Record<number, string>;
