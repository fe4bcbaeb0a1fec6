/**
 * A first guess of an incident's category for the regulatory forms, from its first alert's rule
 * (ATT&CK technique tags, then words of the title). Analysts correct it; the guess only saves
 * typing for the common cases.
 */
import type { Alert } from '../alerts/types';
import type { IncidentCategory } from './types';

interface CategoryHint {
  category: IncidentCategory;
  /** ATT&CK tags (`attack.t1486`, `attack.exfiltration`) that imply the category. */
  tags: readonly string[];
  /** Lower-case words of the rule title. */
  words: readonly string[];
}

/** Most specific first: a ransomware rule tagged credential-access is still malware. */
const HINTS: readonly CategoryHint[] = [
  { category: 'malware', tags: ['attack.t1486', 'attack.t1204', 'attack.s0002'], words: ['malware', 'ransomware', 'trojan', 'virus', 'yara', 'backdoor', 'webshell', 'miner'] },
  { category: 'dos', tags: ['attack.t1498', 'attack.t1499'], words: ['ddos', 'denial of service', 'flood'] },
  { category: 'data_leak', tags: ['attack.exfiltration', 'attack.t1041', 'attack.t1048', 'attack.t1567'], words: ['exfiltration', 'data leak', 'leak'] },
  { category: 'phishing', tags: ['attack.t1566'], words: ['phishing'] },
  { category: 'defacement', tags: ['attack.t1491'], words: ['defacement', 'deface'] },
  { category: 'availability', tags: [], words: ['device down', 'link down', 'interface down', 'unreachable', 'outage'] },
  {
    category: 'intrusion',
    tags: ['attack.t1110', 'attack.t1190', 'attack.initial-access', 'attack.credential-access', 'attack.lateral-movement', 'attack.privilege-escalation', 'attack.persistence'],
    words: ['brute force', 'brute-force', 'exploit', 'intrusion', 'injection', 'traversal'],
  },
];

export function guessCategory(alert: Alert): IncidentCategory {
  const tags = new Set(alert.rule.tags.map((t) => t.toLowerCase()));
  const title = alert.rule.name.toLowerCase();
  for (const hint of HINTS) {
    for (const tag of hint.tags) {
      if (tags.has(tag)) return hint.category;
      // Sub-techniques (attack.t1110.001) imply their technique.
      for (const t of tags) if (t.startsWith(tag + '.')) return hint.category;
    }
  }
  for (const hint of HINTS) for (const word of hint.words) if (title.includes(word)) return hint.category;
  return 'other';
}
