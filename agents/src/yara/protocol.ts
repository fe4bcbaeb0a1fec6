/** Messages between the agent and its YARA worker thread. */
export interface YaraRuleFile {
  name: string;
  source: string;
}

export interface YaraMatch {
  rule: string;
  namespace: string;
  tags: string[];
  meta: Record<string, unknown>;
}

export interface YaraFileResult {
  path: string;
  matches: YaraMatch[];
  error?: string;
}

export type YaraRequest =
  | { op: 'compile'; seq: number; files: YaraRuleFile[] }
  | { op: 'scan'; seq: number; paths: string[]; maxFileBytes: number };

export type YaraReply =
  | { seq: number; ok: true; results?: YaraFileResult[]; warnings?: string[] }
  | { seq: number; ok: false; error: string };
