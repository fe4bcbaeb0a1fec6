/**
 * The parsed form of socnoc's KQL-like search language. Both the SQLite and the (later)
 * Elasticsearch backends compile from this tree, so the language is defined once.
 *
 *   source.ip:10.1.2.3 and event.outcome:failure
 *   user.name:adm* or not host.name:"web 01"
 *   destination.port >= 1024 and (sshd or "Failed password")
 */
export type QueryNode =
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode }
  /** field:value. `value` keeps `*` and `?` wildcards when `wildcard` is true (unquoted value containing them). */
  | { kind: 'term'; field: string; value: string; wildcard: boolean; phrase: boolean }
  /** field:* — the field exists. */
  | { kind: 'exists'; field: string }
  | { kind: 'range'; field: string; op: '>' | '>=' | '<' | '<='; value: string }
  /** Bare words or a quoted phrase without a field: searched in `message` (free text). */
  | { kind: 'text'; value: string; phrase: boolean };
