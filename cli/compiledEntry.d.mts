// Types for cli/compiledEntry.mjs (plain JavaScript: the launchers run it before anything is compiled).
export declare const projectRoot: string;
export declare const sourceFolders: string[];
export type ChosenEntry = { kind: 'compiled'; file: string } | { kind: 'typescript'; file: string; reason: string };
export declare function chooseEntry(root: string, source: string, compiled: string): ChosenEntry;
export declare function launch(name: string): Promise<void>;
