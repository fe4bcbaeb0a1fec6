/** Types for build-ids.js (a plain Node script, so it runs without a build step). */
export interface CatalogIds {
  catalog: { schema_version: string; generated: string };
  nist_csf: string[];
  iso27001: string[];
  decree85: string[];
}

export function extractCatalogIds(text: string): CatalogIds;
