/** Types for proc.mjs, imported by the gateway's TypeScript tests. */
export interface ProcessStat {
  pid: number;
  comm: string;
  ppid: number;
  ticks: number;
  childTicks: number;
}
export declare function processStat(pid: number | string): ProcessStat | undefined;
export declare function processes(): ProcessStat[];
export declare function machineTicks(): { busy: number; total: number };
