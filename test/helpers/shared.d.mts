export declare const CORPUS_MISSING: string;
export declare const CI: boolean;
export declare const CORPUS: string | undefined;
export declare function corpusFile(relative: string): string | undefined;
export declare function warnWithoutCorpus(what: string): void;
