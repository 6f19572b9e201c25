/**
 * A V8 CPU profile as DevTools' `Profiler.stop` returns it (the protocol's Profiler.Profile; playwright-core does not
 * export its protocol types): the one definition the benchmarks that profile a page share.
 */
export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}
